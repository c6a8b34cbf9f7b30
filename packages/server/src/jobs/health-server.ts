import { createServer, type Server } from 'node:http';
import type { App } from '../create-app.js';
import { engineHealth } from '../services/engine-health.js';

/**
 * A tiny HTTP endpoint for processes that serve no API (`--role worker`): `GET /healthz`
 * answers 200 with the running job count and the engine instances' health (as `/readyz` shows
 * them) while the store answers, 503 otherwise. Nothing else is exposed, so the port can be
 * reachable by an orchestrator's probes only.
 */
export async function startHealthServer(app: App, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/healthz') {
      response.writeHead(404).end();
      return;
    }
    const health = () => engineHealth(app.engines.status(), app.services.catalog);
    app.store.countAccounts().then(
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
