import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/app/config.js';
import { createToneEngine } from '../../../src/engines/tone/tone-engine.js';
import { type App, createApp } from '../../../src/app/create-app.js';
import { FsMediaStore } from '../../../src/media/fs-media-store.js';
import type { Store } from '../../../src/ports/store/store.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { exactAudit, type MoneyAudit } from './exact-money-audit.js';
import { auditPostgres, auditSqlite, type AuditReport } from './sqlite-audit.js';
import { type TestApp, startTestApp } from '../../support/test-app.js';
import { chaosEngine, decide } from './chaos-engine.js';
import { FaultyMedia } from './faulty-media.js';
import { recordingStore, type SeenToken } from './fault-parts.js';
import { directoryWith } from './reliability-app.js';

export const LEASE_MS = 1000;
export const RETENTION_MS = 3_600_000;
export const MAX_ATTEMPTS = 3;

const ENV = {
  OVERTURE_LEASE_SECONDS: String(LEASE_MS / 1000),
  OVERTURE_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  OVERTURE_MEDIA_RETENTION_HOURS: '1',
  OVERTURE_SHUTDOWN_GRACE_SECONDS: '0',
  OVERTURE_RATE_LIMIT_QUEUE: '100000',
  OVERTURE_RATE_LIMIT_RETRIEVE: '100000',
  OVERTURE_RATE_LIMIT_OTHER: '100000',
};

/**
 * Everything one simulated run shares: a data directory, a clock that tests move, the API app with
 * its worker pool (A), an optional second in-process pool (B) and worker process on the same
 * database, a media store that fails some writes and commits, and the lease tokens seen.
 */
export class FaultWorld {
  private clockOffset = 0;
  /** How far the shared clock is ahead of real time; worker processes read it from a file. */
  get offset(): number {
    return this.clockOffset;
  }
  set offset(value: number) {
    this.clockOffset = value;
    writeFileSync(join(this.directory, 'clock-offset'), String(value));
  }
  readonly now = () => Date.now() + this.offset;
  readonly tokens: SeenToken[] = [];
  /** Job id → the label its prompt carries (fault decisions key on labels, not random ids). */
  readonly labels = new Map<string, string>();
  mediaFaults = true;
  readonly chaos;
  readonly disk: FsMediaStore;
  readonly media: FaultyMedia;
  api!: TestApp;
  second: { app: App; chaos: ReturnType<typeof chaosEngine> } | undefined;
  child: ChildProcess | undefined;
  readonly directory: string;
  readonly catalog: string;

  /** `databaseUrl`: a PostgreSQL schema URL to run on instead of the directory's SQLite file. */
  constructor(
    readonly seed: number,
    readonly databaseUrl?: string,
  ) {
    ({ directory: this.directory, catalog: this.catalog } = directoryWith('chaos'));
    this.chaos = chaosEngine(seed);
    this.disk = new FsMediaStore(join(this.directory, 'media'));
    this.media = new FaultyMedia(this.disk, (fault, key) => {
      const label = this.labels.get(key.slice(0, 36)) ?? key;
      return this.mediaFaults && decide(seed, `${label}/${key.slice(36)}`, fault === 'write' ? 1 : 2) < 0.08;
    });
  }

  /** A new connection to the shared database, recording lease tokens. */
  openStore(): Store {
    const inner = this.databaseUrl
      ? new PostgresStore(this.databaseUrl)
      : new SqliteStore({ path: join(this.directory, 'overture.sqlite'), synchronous: 'NORMAL' });
    return recordingStore(inner, this.tokens);
  }

  /** The exact money audit (integers as `bigint`, every job ended, no request hold open). */
  exactAudit(): Promise<MoneyAudit> {
    const database = this.databaseUrl ? { postgres: this.databaseUrl } : { sqlite: join(this.directory, 'overture.sqlite') };
    return exactAudit(database, { quiet: true, ended: true });
  }

  /** The row-level audit of the shared database. */
  audit(): Promise<AuditReport> {
    return this.databaseUrl ? auditPostgres(this.databaseUrl) : auditSqlite(this.directory);
  }

  async start(usd: number): Promise<void> {
    const store = this.openStore();
    this.api = await startTestApp({
      directory: this.directory,
      usd,
      keepDirectory: true,
      env: { OVERTURE_CATALOG: this.catalog, ...ENV },
      parts: { engines: [this.chaos.engine, createToneEngine()], store, media: this.media, now: this.now },
    });
  }

  /** Start or stop the second pool (a duplicate worker claiming from the same store). */
  async toggleSecondPool(): Promise<void> {
    if (this.second) {
      const { app } = this.second;
      this.second = undefined;
      await app.close();
      return;
    }
    const chaos = chaosEngine(this.seed + 104729);
    const config = loadConfig({
      OVERTURE_DATA_DIR: this.directory,
      OVERTURE_CATALOG: this.catalog,
      OVERTURE_ROLE: 'worker',
      LOG_LEVEL: 'silent',
      OVERTURE_SQLITE_SYNCHRONOUS: 'NORMAL',
      ...ENV,
    });
    const store = this.openStore();
    const app = await createApp(config, { engines: [chaos.engine, createToneEngine()], store, media: this.media, now: this.now });
    app.pool?.start();
    this.second = { app, chaos };
  }

  /** Turn every fault off, so that the drain can finish every job. */
  calm(): void {
    this.mediaFaults = false;
    this.chaos.calm();
    this.second?.chaos.calm();
  }

  async close(): Promise<void> {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.second?.app.close();
    await this.api.close();
  }
}
