// A worker process of the fault simulation: a worker-role app on the shared data directory, with
// the seeded chaos engine. It prints "ready" and works until the parent SIGKILLs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/app/config.js';
import { createToneEngine } from '../../../src/engines/tone/tone-engine.js';
import { createApp } from '../../../src/app/create-app.js';
import { chaosEngine } from './chaos-engine.js';

const [directory, catalog, seed, databaseUrl] = process.argv.slice(2) as [string, string, string, string];
const chaos = chaosEngine(Number(seed) + 7919);
const config = loadConfig({
  OVERTURE_DATA_DIR: directory,
  OVERTURE_CATALOG: catalog,
  OVERTURE_ROLE: 'worker',
  LOG_LEVEL: 'silent',
  OVERTURE_SQLITE_SYNCHRONOUS: 'NORMAL',
  DATABASE_URL: databaseUrl || undefined,
  OVERTURE_LEASE_SECONDS: '1',
  OVERTURE_MAX_ATTEMPTS: '3',
});
// The parent moves the clock; read its offset so leases and backoffs agree across processes.
const now = () => {
  try {
    return Date.now() + Number(readFileSync(join(directory, 'clock-offset'), 'utf8'));
  } catch {
    return Date.now();
  }
};
const app = await createApp(config, { engines: [chaos.engine, createToneEngine()], now });
await app.start();
process.stdout.write('ready\n');
