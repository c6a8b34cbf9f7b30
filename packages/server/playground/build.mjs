// Builds the playground served at `/` (see docs/playground.md): bundles src/main.ts with esbuild
// into dist/playground.js and copies the page and its stylesheet beside it. Everything the page
// loads comes from dist/ (no CDN); the build fails when its gzipped total passes the budget.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = import.meta.dirname;
/** The files the page loads, in dist/. */
export const PLAYGROUND_FILES = ['index.html', 'playground.js', 'playground.css'];
/** The most the page may weigh, gzipped (issue 17). */
export const BUDGET_BYTES = 150 * 1024;

/** Build into `outDir` (default dist/); answers the gzipped size of every file the page loads. */
export async function buildPlayground(outDir = join(here, 'dist')) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'src/main.ts')],
    outfile: join(outDir, 'playground.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari16'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(here, 'playground.css'), join(outDir, 'playground.css'));
  const gzippedBytes = PLAYGROUND_FILES.reduce((total, file) => total + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length, 0);
  if (gzippedBytes > BUDGET_BYTES)
    throw new Error(`The playground weighs ${gzippedBytes} bytes gzipped, over its ${BUDGET_BYTES}-byte budget`);
  return { gzippedBytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { gzippedBytes } = await buildPlayground();
  console.log(`playground: ${(gzippedBytes / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
}
