import { createServer, type Server } from 'node:http';
import type { App } from '../app/create-app.js';
import { ApiError } from '../domain/api-error.js';
import { hashesEqual, hashKey } from '../services/api-keys.js';
import { engineHealth } from '../services/engine-health.js';

/**
 * A tiny HTTP endpoint for processes that serve no API (`--role worker`): `GET /healthz`
 * answers 200 with the running job count and the engine instances' health (as `/readyz` shows
 * them) while the store answers, 503 otherwise; `GET /metrics` is the process's Prometheus
 * metrics, behind `OVERTURE_METRICS_TOKEN` when set, as on the API. Nothing else is exposed.
 */
export async function startHealthServer(app: App, port: number, host: string): Promise<Server> {
  const token = app.services.metricsToken === undefined ? undefined : hashKey(app.services.metricsToken);
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (token && !(sent && hashesEqual(hashKey(sent), token))) {
        const api = new ApiError('authentication_failed');
        response.writeHead(api.status, { 'content-type': 'application/json' }).end(JSON.stringify(api.body()));
        return;
      }
      app.services.metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': app.services.metrics.contentType }).end(text),
        () => response.writeHead(503).end(),
      );
      return;
    }
    if (request.method !== 'GET' || request.url !== '/healthz') {
      response.writeHead(404).end();
      return;
    }
    const health = () => engineHealth(app.engines.status(), app.services.catalog);
    app.store.accounts.countAccounts().then(
      () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'ok', role: app.config.role, active_jobs: app.pool?.active ?? 0, ...health() }));
      },
      () => response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'unavailable', ...health() })),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  server.unref();
  return server;
}
