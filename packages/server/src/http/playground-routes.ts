import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build` puts the playground (packages/server/playground/dist), from src/http or dist/http. */
export const PLAYGROUND_DIRECTORY = resolve(import.meta.dirname, '../../playground/dist');

/**
 * The page may load only its own script and stylesheet and talk only to this server; audio plays
 * from `blob:` URLs (the downloaded track, and the MediaSource that streams speech), and the
 * waveform canvas needs nothing more.
 */
export const PLAYGROUND_POLICY =
  "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ASSETS = [
  ['/playground/playground.js', 'playground.js', 'text/javascript; charset=utf-8'],
  ['/playground/playground.css', 'playground.css', 'text/css; charset=utf-8'],
] as const;

/**
 * The web playground: the page at `/` and its two assets under `/playground/`, read once from
 * `directory`. Before the playground is built, `/` answers 503 saying how to build it.
 */
export function registerPlaygroundRoutes(app: FastifyInstance, directory = PLAYGROUND_DIRECTORY): void {
  const page = join(directory, 'index.html');
  if (!existsSync(page)) {
    app.get('/', async (_request, reply) =>
      reply.code(503).send({ error: 'The playground is not built: run `npm run build` (or set OVERTURE_PLAYGROUND=false)' }),
    );
    return;
  }
  const html = readFileSync(page);
  app.get('/', async (_request, reply) =>
    reply
      .header('content-security-policy', PLAYGROUND_POLICY)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(html),
  );
  for (const [url, file, type] of ASSETS) {
    const body = readFileSync(join(directory, file));
    app.get(url, async (_request, reply) => reply.header('cache-control', 'no-cache').type(type).send(body));
  }
}
