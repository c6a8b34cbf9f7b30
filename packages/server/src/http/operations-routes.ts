import type { FastifyInstance } from 'fastify';
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
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(await services.metrics.render()));
  app.get('/openapi.json', async () => document);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
}
