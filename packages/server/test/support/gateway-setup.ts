// Two real Overtures, one in front of the other: an UPSTREAM in this process (real HTTP on
// loopback, its `overture-sketch` row on the `gate` test engine, so its job runs until the test
// says go) and a GATEWAY run as a child process (`overture serve --role all` on SQLite) whose
// `overture-sketch` row is bound to a `venice` engine instance pointed at the upstream.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AccountService, type CreatedAccount } from '../../src/services/account-service.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { type ServerChild, freePort, startServer, waitUntilUp } from './child-process.js';
import { gatedAppOptions } from './bound-catalog.js';
import { type TestApp, startTestApp, toneCatalogFile } from './test-app.js';

/** The model id on both servers; the gateway's row names the upstream's in `engine_options.model`. */
export const MODEL = 'overture-sketch';
/** What a client queues: 1 s of the sketch (0.0001 USD = 100 micro-USD on either server). */
export const SKETCH = { model: MODEL, prompt: 'a small sketch in C major', duration_seconds: 1 };
export const SKETCH_MICROS = 100;

const NO_LIMITS = {
  OVERTURE_RATE_LIMIT_QUEUE: '100000',
  OVERTURE_RATE_LIMIT_RETRIEVE: '100000',
  OVERTURE_RATE_LIMIT_OTHER: '100000',
};

/** One `/audio/queue` the upstream answered (or was answering when its caller died). */
export interface QueueAnswer {
  readonly idempotencyKey: string | undefined;
  readonly status: number;
  readonly replayed: boolean;
  readonly queueId: string | undefined;
}

export interface Upstream {
  readonly t: TestApp;
  /** The API base the gateway's engines file names. */
  readonly url: string;
  /** The gateway's account here: its inference key is the gateway's `UPSTREAM_KEY`. */
  readonly account: CreatedAccount;
  /** Every request received, by path (`/api/v1/audio/queue`, …), counted as it arrives. */
  readonly received: Map<string, number>;
  /** Every `/audio/queue` answer, in order (a held one is listed once it was produced). */
  readonly queueAnswers: QueueAnswer[];
  /** Queue answers currently held back from the wire. */
  held(): number;
  /**
   * Hold the next `count` `/audio/queue` answers after the job is created upstream: the caller
   * waits as on a slow network. Returns the function that lets them go.
   */
  holdQueueAnswers(count: number): () => void;
  /** Jobs of an account in the upstream's store. */
  jobsOf(accountId: string): number;
  /** Upstream engine calls waiting on the gate. */
  running(): number;
  /** Let every waiting upstream generation finish. */
  release(): void;
  close(): Promise<void>;
}

/** The upstream: real HTTP on an OS-chosen loopback port, `overture-sketch` held by the `gate` engine. */
export async function startUpstream(): Promise<Upstream> {
  const { fakes, options } = gatedAppOptions('overture-upstream-', (model) => model.id === MODEL, { wavDefault: false });
  const t = await startTestApp({
    ...options,
    usd: 1,
    env: { ...options.env, OVERTURE_SHUTDOWN_GRACE_SECONDS: '0', ...NO_LIMITS },
  });
  const received = new Map<string, number>();
  const queueAnswers: QueueAnswer[] = [];
  let toHold = 0;
  let holding = 0;
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  t.app.http.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] as string;
    received.set(path, (received.get(path) ?? 0) + 1);
  });
  t.app.http.addHook('onSend', async (request, reply, payload) => {
    if (request.url !== '/api/v1/audio/queue') return payload;
    const key = request.headers['idempotency-key'];
    let queueId: string | undefined;
    try {
      queueId = JSON.parse(String(payload)).queue_id;
    } catch {
      queueId = undefined;
    }
    queueAnswers.push({
      idempotencyKey: Array.isArray(key) ? key.join(',') : key,
      status: reply.statusCode,
      replayed: reply.getHeader('idempotent-replayed') === 'true',
      queueId,
    });
    if (toHold > 0 && gate) {
      toHold--;
      holding++;
      await gate.promise;
      holding--;
    }
    return payload;
  });
  await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.http.server.address() as AddressInfo;
  const db = new Database(join(t.directory, 'overture.sqlite'), { readonly: true, fileMustExist: true });
  return {
    t,
    url: `http://127.0.0.1:${port}/api/v1`,
    account: t.account,
    received,
    queueAnswers,
    held: () => holding,
    holdQueueAnswers(count) {
      let open: () => void = () => undefined;
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
      toHold = count;
      return () => {
        toHold = 0;
        open();
      };
    },
    jobsOf: (accountId) => (db.prepare('SELECT COUNT(*) FROM jobs WHERE account_id = ?').pluck().get(accountId) as number) ?? 0,
    running: () => fakes.waitingCount(),
    release: () => fakes.release(),
    async close() {
      gate?.open();
      fakes.release();
      db.close();
      await t.close();
    },
  };
}

/** A gateway job as its SQLite row says (read from the test process while the child runs). */
export interface GatewayRow {
  readonly state: string;
  readonly attempt: number;
  readonly upstream_instance: string | null;
  readonly upstream_key: string | null;
  readonly upstream_request_id: string | null;
}

export interface Gateway {
  readonly directory: string;
  readonly port: number;
  /** The client's account on the gateway. */
  readonly client: CreatedAccount;
  /** Every child started so far (the killed ones too), for diagnostics. */
  readonly children: ServerChild[];
  /** Start `overture serve --role all` on the gateway's data directory (same env every time) and wait until it is ready. */
  start(name: string): Promise<ServerChild>;
  /** A job's row in the gateway's store, read-only. */
  row(jobId: string): GatewayRow | undefined;
  /** Open the gateway's store in this process (once its children are stopped), for money checks. */
  openStore(): Promise<SqliteStore>;
  /** Each child's exit and output. */
  diagnostics(): string;
  /** Stop every child (SIGKILL) and delete the data directory. */
  close(): Promise<void>;
}

/**
 * A gateway data directory: a catalog whose `overture-sketch` row is bound to the `upstream`
 * instance (a `venice` adapter on `upstream.url`), an engines file, and a client account created
 * in its SQLite store before the first start (so the server bootstraps none of its own).
 */
export async function prepareGateway(upstream: Upstream, options: { leaseSeconds?: number } = {}): Promise<Gateway> {
  const directory = mkdtempSync(join(tmpdir(), 'overture-gateway-'));
  const catalog = toneCatalogFile(
    directory,
    (model) => {
      if (model.id === MODEL) Object.assign(model, { engine: 'upstream', engine_options: { model: MODEL } });
    },
    'gateway-catalog.json',
  );
  const engines = join(directory, 'engines.json');
  writeFileSync(
    engines,
    JSON.stringify({
      engines: { upstream: { adapter: 'venice', url: upstream.url, api_key_env: 'UPSTREAM_KEY', options: { poll_seconds: 0.2 } } },
    }),
  );
  const databasePath = join(directory, 'overture.sqlite');
  const setup = new SqliteStore({ path: databasePath });
  await setup.migrate();
  const client = await new AccountService(setup, Date.now).create({ name: 'client', pro: false, usd: 1, diemDaily: 0 });
  await setup.close();
  const port = await freePort();
  const env = {
    OVERTURE_DATA_DIR: directory,
    OVERTURE_CATALOG: catalog,
    OVERTURE_ENGINES: engines,
    OVERTURE_ENGINE_THREADS: 'false',
    OVERTURE_LEASE_SECONDS: String(options.leaseSeconds ?? 2),
    OVERTURE_SHUTDOWN_GRACE_SECONDS: '1',
    OVERTURE_X402: 'false',
    UPSTREAM_KEY: upstream.account.inference_key,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...NO_LIMITS,
  };
  const children: ServerChild[] = [];
  let db: Database.Database | undefined;
  return {
    directory,
    port,
    client,
    children,
    async start(name) {
      const child = startServer(name, 'all', env);
      children.push(child);
      await waitUntilUp(`http://127.0.0.1:${port}/readyz`, child, 60_000);
      return child;
    },
    row(jobId) {
      db ??= new Database(databasePath, { readonly: true, fileMustExist: true });
      return db.prepare('SELECT state, attempt, upstream_instance, upstream_key, upstream_request_id FROM jobs WHERE id = ?').get(jobId) as
        | GatewayRow
        | undefined;
    },
    async openStore() {
      const store = new SqliteStore({ path: databasePath });
      await store.migrate();
      return store;
    },
    diagnostics: () =>
      children
        .map((child) => `--- ${child.name} (exit ${child.process.exitCode ?? child.process.signalCode ?? 'running'})\n${child.output()}`)
        .join('\n'),
    async close() {
      await Promise.all(children.map((child) => child.stop()));
      db?.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Wait (bounded, polling) until `check` holds; the error names `what` and the gateway's state. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  context: () => string = () => '',
  limitMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A client's call to the gateway over real HTTP. */
export async function callGateway(gateway: Gateway, path: string, body: unknown, key = gateway.client.inference_key): Promise<Response> {
  return fetch(`http://127.0.0.1:${gateway.port}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Poll the gateway's `/audio/retrieve` (bounded) until it answers something other than PROCESSING. */
export async function retrieveWhenDone(gateway: Gateway, queueId: string, limitMs = 60_000): Promise<Response> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const response = await callGateway(gateway, '/audio/retrieve', { model: MODEL, queue_id: queueId });
    if (!/json/.test(response.headers.get('content-type') ?? '')) return response;
    const text = await response.text();
    if (response.status !== 200 || JSON.parse(text).status !== 'PROCESSING')
      return new Response(text, { status: response.status, headers: response.headers });
    if (Date.now() > deadline) throw new Error(`job ${queueId} still processing after ${limitMs} ms\n${gateway.diagnostics()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
