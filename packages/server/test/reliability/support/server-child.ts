// A server process for the kill tests: the real app (createApp, every real engine the catalog
// names, worker pool, reaper, webhook outbox) configured from the environment like `overture
// serve`, listening on PORT (0: any free port). Its clock is real time plus the offset in
// OVERTURE_TEST_CLOCK_FILE, which the parent moves (leases, backoffs and the orphan sweep agree
// across restarts). Prints one JSON line {port, created} once it serves; the parent SIGKILLs it.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/app/config.js';
import { createApp } from '../../../src/app/create-app.js';

const clockFile = process.env.OVERTURE_TEST_CLOCK_FILE;
const now = () => {
  if (!clockFile) return Date.now();
  try {
    return Date.now() + Number(readFileSync(clockFile, 'utf8'));
  } catch {
    return Date.now();
  }
};
const config = loadConfig(process.env);
// Log lines go to stderr (the parent keeps its tail for failure messages); stdout carries the JSON line.
const app = await createApp(config, { now, logStream: process.stderr });
const created = config.role === 'worker' ? undefined : await app.services.accounts.bootstrap(config.startingCreditUsd, 0);
await app.start();
const address = config.role === 'worker' ? undefined : (app.http.server.address() as AddressInfo);
process.stdout.write(`${JSON.stringify({ port: address?.port ?? 0, created: created ?? null })}\n`);
