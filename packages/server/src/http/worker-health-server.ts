import { createServer, type Server } from 'node:http';
import { ApiError } from '../domain/api-error.js';
import { hashesEqual, hashKey } from '../services/api-keys.js';
import type { EngineHealthLine } from '../services/engine-health.js';

/** What a worker's health server reads of its process, and nothing more. */
export interface WorkerHealthSources {
  /** The process's role (`worker`, or `all`/`api` in tests), echoed in a healthy answer. */
  readonly role: string;
  /** Resolves while the store answers; rejects when it does not (the answer is then 503). */
  readonly probeStore: () => Promise<unknown>;
  /** Jobs this process is running right now. */
  readonly activeJobs: () => number;
  /** The engine instances' health and the models none of whose instances is up, as `/readyz` shows them. */
  readonly engineHealth: () => { readonly engines: readonly EngineHealthLine[]; readonly unavailable_models: readonly string[] };
  /** The process's Prometheus metrics. */
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
  /** Bearer token `/metrics` requires (`OVERTURE_METRICS_TOKEN`); open to anyone when undefined. */
  readonly metricsToken: string | undefined;
}

/**
 * A tiny HTTP endpoint for processes that serve no API (`--role worker`): `GET /healthz`
 * answers 200 with the running job count and the engine instances' health (as `/readyz` shows
 * them) while the store answers, 503 otherwise; `GET /metrics` is the process's Prometheus
 * metrics, behind `OVERTURE_METRICS_TOKEN` when set, as on the API. Nothing else is exposed.
 */
export async function startWorkerHealthServer(sources: WorkerHealthSources, port: number, host: string): Promise<Server> {
  const token = sources.metricsToken === undefined ? undefined : hashKey(sources.metricsToken);
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (token && !(sent && hashesEqual(hashKey(sent), token))) {
        const api = new ApiError('authentication_failed');
        response.writeHead(api.status, { 'content-type': 'application/json' }).end(JSON.stringify(api.body()));
        return;
      }
      sources.metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': sources.metrics.contentType }).end(text),
        () => response.writeHead(503).end(),
      );
      return;
    }
    if (request.method !== 'GET' || request.url !== '/healthz') {
      response.writeHead(404).end();
      return;
    }
    sources.probeStore().then(
      () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'ok', role: sources.role, active_jobs: sources.activeJobs(), ...sources.engineHealth() }));
      },
      () =>
        response
          .writeHead(503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'unavailable', ...sources.engineHealth() })),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  server.unref();
  return server;
}
