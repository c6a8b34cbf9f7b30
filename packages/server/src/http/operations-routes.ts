import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../domain/api-error.js';
import { hashesEqual, hashKey } from '../services/api-keys.js';
import { engineHealth } from '../services/engine-health.js';
import type { AppServices } from './app-services.js';
import { buildOpenApi, renderDocsPage } from './openapi.js';

/** `/healthz`, `/readyz`, `/metrics`, `/openapi.json` and `/docs`. */
export function registerOperationsRoutes(app: FastifyInstance, services: AppServices): void {
  const document = buildOpenApi() as Parameters<typeof renderDocsPage>[0];
  const page = renderDocsPage(document);
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready (200) while the store answers, whatever the engine instances do: models whose every
  // instance is down are listed as unavailable (degraded, not dead), since the rest still serve
  // and restarting or unrouting the process would not bring an upstream back.
  app.get('/readyz', async (_request, reply) => {
    const ready = await services.ready().catch(() => false);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', ...engineHealth(services.engines.status(), services.catalog) });
  });
  const metricsToken = services.metricsToken === undefined ? undefined : hashKey(services.metricsToken);
  app.get('/metrics', async (request, reply) => {
    const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (metricsToken && !(sent && hashesEqual(hashKey(sent), metricsToken))) throw new ApiError('authentication_failed');
    return reply.type('text/plain; version=0.0.4').send(await services.metrics.render());
  });
  app.get('/openapi.json', async () => document);
  // The page's one inline style is allowed by its hash; nothing else may load or run.
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  const policy = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  app.get('/docs', async (_request, reply) => reply.header('content-security-policy', policy).type('text/html; charset=utf-8').send(page));
}
