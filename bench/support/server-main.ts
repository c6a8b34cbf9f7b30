/**
 * Child process: the real Overture app (createApp, as `overture serve` composes it) on a
 * loopback port chosen by the OS. Prints one JSON line `{ port, inferenceKey }` when listening
 * and shuts down gracefully on SIGTERM (so `--cpu-prof` profiles are written).
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../packages/server/dist/app/config.js';
import { createApp } from '../../packages/server/dist/app/create-app.js';

const config = loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
const app = await createApp(config);
const created = await app.services.accounts.bootstrap(config.startingCreditUsd, config.startingDiemDaily);
await app.start();
const address = app.http.server.address() as AddressInfo | null;
process.stdout.write(`${JSON.stringify({ port: address?.port ?? 0, inferenceKey: created?.inference_key ?? null })}\n`);
process.on('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
