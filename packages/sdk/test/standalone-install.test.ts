/**
 * The SDK installs on its own: `npm pack` of packages/sdk (after a build) holds the built files,
 * the README and the licence and neither sources nor tests; the tarball installs into an empty
 * project without the network (the SDK has no dependencies) and, imported there as plain ESM,
 * talks to a real server.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type LiveServer, startLiveServer } from './live-server.js';

const root = resolve(import.meta.dirname, '../../..');
const sdk = join(root, 'packages/sdk');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });

let project: string;
let server: LiveServer;
before(async () => {
  project = mkdtempSync(join(tmpdir(), 'overture-sdk-install-'));
  server = await startLiveServer();
});
after(async () => {
  await server.close();
  rmSync(project, { recursive: true, force: true });
});

test('npm pack of the SDK installs offline into an empty project and lists models from a real server', async () => {
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/sdk'], root);
  const manifest = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.dependencies ?? {}, {}, 'no runtime dependencies');
  const [packed] = JSON.parse(run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', project], sdk));
  const files: string[] = packed.files.map((file: { path: string }) => file.path);
  for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/node.d.ts'])
    assert.ok(files.includes(file), `the tarball holds ${file}`);
  assert.deepEqual(
    files.filter((file) => /^(src|test)\//.test(file) || file.endsWith('.tsbuildinfo')),
    [],
    'no sources, tests or build info',
  );

  const readme = readFileSync(join(sdk, 'README.md'), 'utf8').split('\n');
  assert.equal(readme[0], '# @overture/sdk');
  assert.ok(readme[3]?.startsWith(`npm install ./${packed.filename} `), `the README starts with the install line: ${readme[3]}`);

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty-project', private: true, type: 'module' }));
  run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(project, packed.filename)], project);
  writeFileSync(
    join(project, 'main.mjs'),
    [
      "import { OvertureClient } from '@overture/sdk';",
      "import * as node from '@overture/sdk/node';",
      'const client = new OvertureClient();',
      "const models = await client.models.list({ type: 'music' });",
      "const { quote } = await client.audio.quote({ model: 'overture-sketch', duration_seconds: 10 });",
      'console.log(JSON.stringify({ ids: models.data.map((row) => row.id), quote, node: Object.keys(node).length > 0 }));',
    ].join('\n'),
  );
  const env = { ...process.env, OVERTURE_BASE_URL: server.baseUrl, OVERTURE_API_KEY: server.test.account.inference_key };
  // Not execFileSync: the server answers on this process's event loop.
  const { stdout } = await promisify(execFile)(process.execPath, ['main.mjs'], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
  const answer = JSON.parse(stdout);
  assert.ok(answer.ids.includes('overture-sketch'), answer.ids.join(', '));
  assert.equal(answer.quote, 0.001);
  assert.equal(answer.node, true);
});
