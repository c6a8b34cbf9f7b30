import { loadConfig } from '../app/config.js';
import { createApp } from '../app/create-app.js';
import { workerHealthOf } from '../app/worker-health.js';
import { startWorkerHealthServer } from '../http/worker-health-server.js';

/** `overture serve [--role api|worker|all]`: run the server until SIGINT/SIGTERM. */
export async function serveCommand(options: Record<string, string | true>): Promise<number> {
  const role = typeof options.role === 'string' ? options.role : undefined;
  const config = loadConfig({ ...process.env, ...(role ? { OVERTURE_ROLE: role } : {}) });
  const app = await createApp(config);
  const created = await app.services.accounts.bootstrap(config.startingCreditUsd, config.startingDiemDaily);
  if (created) {
    process.stdout.write(
      [
        '',
        'Created the local account (shown once; store these keys):',
        `  account id:     ${created.account_id}`,
        `  admin key:      ${created.admin_key}`,
        `  inference key:  ${created.inference_key}`,
        '',
      ].join('\n') + '\n',
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.http.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.http.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    await app.start();
    if (config.role === 'worker' && config.healthPort) await startWorkerHealthServer(workerHealthOf(app), config.healthPort, config.host);
  } catch (error) {
    // Nothing may keep running (engine threads, store connections): the process exits non-zero.
    await app.close().catch(() => undefined);
    throw error;
  }
  if (config.role !== 'worker')
    app.http.log.info({ port: config.port, catalog: config.catalog, role: config.role }, 'Overture is listening');
  return new Promise<number>(() => undefined);
}
