import type { App } from './create-app.js';
import type { WorkerHealthSources } from '../http/worker-health-server.js';
import { engineHealth } from '../services/engine-health.js';

/** What a composed app shows on a worker's health server (`startWorkerHealthServer`). */
export function workerHealthOf(app: App): WorkerHealthSources {
  return {
    role: app.config.role,
    probeStore: () => app.store.accounts.countAccounts(),
    activeJobs: () => app.pool?.active ?? 0,
    engineHealth: () => engineHealth(app.engines.status(), app.services.catalog),
    metrics: app.services.metrics,
    metricsToken: app.services.metricsToken,
  };
}
