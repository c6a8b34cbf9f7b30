import type { FastifyInstance } from 'fastify';
import { ApiError } from '../domain/api-error.js';
import { hashesEqual, hashKey } from '../services/api-keys.js';
import { engineHealth } from '../services/engine-health.js';
import type { AppServices } from './app-services.js';
import { buildOpenApi } from './openapi.js';
import { buildReferencePage, REFERENCE_ASSET_PREFIX } from './openapi/reference-page.js';

/** `/healthz`, `/readyz`, `/metrics`, `/openapi.json` and `/docs`. */
export function registerOperationsRoutes(app: FastifyInstance, services: AppServices): void {
  const document = buildOpenApi();
  const reference = buildReferencePage();
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
    return reply.type(services.metrics.contentType).send(await services.metrics.render());
  });
  app.get('/openapi.json', async () => document);
  // Swagger UI, served from this server only, under a policy that lets it talk to nothing else.
  app.get('/docs', async (_request, reply) =>
    reply
      .header('content-security-policy', reference.policy)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(reference.html),
  );
  app.get<{ Params: { file: string } }>(`${REFERENCE_ASSET_PREFIX}:file`, async (request, reply) => {
    const asset = reference.assets.get(request.params.file);
    if (!asset) throw new ApiError('route_not_found');
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.type).send(asset.body);
  });
}
