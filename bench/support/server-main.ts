/**
 * Child process: the real Overture app (createApp, as `overture serve` composes it) on a
 * loopback port chosen by the OS. Prints one JSON line `{ port, inferenceKey }` when listening
 * and shuts down gracefully on SIGTERM (so `--cpu-prof` profiles are written).
 */
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { loadConfig } from '../../packages/server/src/config.js';
import { createApp } from '../../packages/server/src/create-app.js';

if (process.env.BENCH_STATEMENT_CACHE === '1') cacheStatements();

/**
 * Experiment for a proposed store patch (the store is not the bench's to edit): reuse each SQL
 * statement instead of compiling it on every call. Safe here because the store never iterates.
 */
function cacheStatements(): void {
  const prototype = Database.prototype as unknown as { prepare(this: object, sql: string): unknown };
  const compile = prototype.prepare;
  const caches = new WeakMap<object, Map<string, unknown>>();
  prototype.prepare = function prepare(this: object, sql: string) {
    let cache = caches.get(this);
    if (!cache) caches.set(this, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = compile.call(this, sql)));
    return statement;
  };
}

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
