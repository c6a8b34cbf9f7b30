import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Answer, shapeProblem } from './contract-shape.js';
import { type Database, exactAudit, rowsOf } from './exact-money-audit.js';
import { CONTENT_TYPES, OPERATOR, RAW_BODIES, buildRequest, describe } from './fuzz-requests.js';
import { Prng } from './prng.js';
import { appOn } from './reliability-app.js';
import { SocketClient } from './socket-client.js';
import { auditPostgres, auditSqlite } from './sqlite-audit.js';

/** What a fuzz run did. */
export interface FuzzReport {
  readonly seed: number;
  readonly requests: number;
  readonly byStatus: Record<number, number>;
  readonly milliseconds: number;
}

/** How to reach the app: `inject` (in process, no socket) or a real listening socket on 127.0.0.1. */
export interface FuzzOptions {
  readonly transport?: 'inject' | 'socket';
  /** A PostgreSQL schema URL to run on instead of the data directory's SQLite file. */
  readonly databaseUrl?: string;
}

/**
 * Schema-aware and random requests against every route, on an API-only app (no workers, so state
 * changes only through requests), through `inject` or over a real socket (keep-alive connections,
 * the fast lane, Node's parser and timeouts). After each request: no 5xx and every answer in the
 * contract's shape (`contract-shape.ts`); a rejection changed neither the ledger totals, the job
 * counts, the accounts nor the keys. At the end the database is audited row by row and its money
 * as exact integers. Throws on the first violation with the seed and request to replay it.
 */
export async function runHttpFuzz(seed: number, requests: number, options: FuzzOptions = {}): Promise<FuzzReport> {
  const random = new Prng(seed);
  const started = Date.now();
  const socket = options.transport === 'socket';
  const { test: t } = await appOn('tone', {
    usd: 1000,
    env: {
      OVERTURE_ROLE: 'api',
      OVERTURE_OPERATOR_TOKEN: OPERATOR,
      OVERTURE_RATE_LIMIT_AUTH_FAILURES: '100000000',
      OVERTURE_BODY_LIMIT_BYTES: '16384',
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    },
  });
  let client: SocketClient | undefined;
  const byStatus: Record<number, number> = {};
  try {
    if (socket) {
      await t.app.http.listen({ port: 0, host: '127.0.0.1' });
      client = new SocketClient((t.app.http.server.address() as AddressInfo).port);
    }
    const other = await t.app.services.accounts.create({ name: 'other', pro: false, usd: 5, diemDaily: 0 });
    const ids: string[] = [crypto.randomUUID()];
    const keys = [
      t.account.inference_key,
      t.account.inference_key,
      t.account.inference_key,
      t.account.admin_key,
      other.inference_key,
      OPERATOR,
      'ovt_guess',
      '',
    ];
    const snapshot = async () =>
      JSON.stringify([
        await t.app.store.ledger.ledgerTotals(),
        await t.app.store.statistics.countJobs(),
        await t.app.store.accounts.countAccounts(),
        (await t.app.store.accounts.listKeys(t.account.account_id)).length,
      ]);
    const database: Database = options.databaseUrl ? { postgres: options.databaseUrl } : { sqlite: join(t.directory, 'overture.sqlite') };
    let before = await snapshot();
    let previous = 'none';
    for (let i = 0; i < requests; i++) {
      const request = buildRequest(random, ids, t.account.account_id);
      const fitting = request.url.startsWith('/operator')
        ? OPERATOR
        : /billing\/balance|\/api_keys(\?|$)|webhooks\/secret/.test(request.url)
          ? t.account.admin_key
          : t.account.inference_key;
      // Over a socket, quotes and models go keyless half the time: that is the fast lane's traffic.
      const keyless = socket && /\/audio\/quote|\/models/.test(request.url) && random.chance(0.5);
      const key = keyless ? undefined : random.chance(0.7) ? fitting : random.chance(0.8) ? random.pick(keys) : undefined;
      const headers: Record<string, string> = {};
      const contentType = random.chance(0.8) ? 'application/json' : random.pick(CONTENT_TYPES);
      if (contentType) headers['content-type'] = contentType;
      if (key !== undefined)
        headers.authorization = random.chance(0.95) ? `Bearer ${key}` : random.pick([key, `Basic ${key}`, 'Bearer', `Bearer ${key} extra`]);
      if (random.chance(0.1)) headers['idempotency-key'] = random.pick(['k1', 'k2', '', ' ', 'x'.repeat(300), '\u00e9']);
      if (random.chance(0.05)) headers['x-request-id'] = random.pick(['abc', '../../x', 'x'.repeat(500)]);
      const payload = request.body === undefined ? undefined : random.chance(0.07) ? random.pick(RAW_BODIES) : JSON.stringify(request.body);
      const chunked = socket && payload !== undefined && random.chance(0.05);
      let answer: Answer;
      const context = () => describe(request, headers, payload) + (chunked ? ' (chunked)' : '');
      try {
        if (client) {
          const raw = await client.send({ method: request.method, path: request.url, headers, payload, chunked });
          answer = { ...raw, method: request.method, url: request.url, contentType: String(raw.headers['content-type'] ?? '') };
        } else {
          const response = await t.app.http.inject({
            method: request.method as 'GET',
            url: request.url,
            headers,
            ...(payload === undefined ? {} : { payload }),
          });
          answer = {
            method: request.method,
            url: request.url,
            status: response.statusCode,
            headers: response.headers as Answer['headers'],
            contentType: String(response.headers['content-type'] ?? ''),
            body: response.rawPayload,
          };
        }
      } catch (error) {
        throw new Error(`seed ${seed} request ${i}: the request failed (${String(error)}) for ${context()}; previous: ${previous}`);
      }
      byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
      const where = () => `seed ${seed} request ${i}: ${answer.status} ${answer.body.toString('utf8').slice(0, 200)} for ${context()}`;
      if (answer.status >= 500) throw new Error(`5xx — ${where()}`);
      const problem = shapeProblem(answer);
      if (problem) throw new Error(`outside the contract: ${problem} — ${where()}`);
      // A speech hold may settle just after its last byte went out (PostgreSQL): wait for it, bounded.
      if (request.url.startsWith('/api/v1/audio/speech')) await requestHoldsSettled(database, () => where());
      const after = await snapshot();
      if (answer.status >= 400) {
        if (after !== before) throw new Error(`a rejected request changed state: ${before} → ${after} — ${where()}`);
      } else if (request.url === '/api/v1/audio/queue' && request.method === 'POST') {
        const id = (JSON.parse(answer.body.toString('utf8')) as { queue_id?: string }).queue_id;
        if (id) ids.push(id);
      }
      before = after;
      previous = `${answer.status} ${answer.headers.connection ?? ''} for ${context().slice(0, 500)}`;
    }
    const rows = options.databaseUrl ? await auditPostgres(options.databaseUrl) : await auditSqlite(t.directory);
    const money = await exactAudit(database, { quiet: true });
    const violations = [...rows.violations, ...money.violations];
    if (violations.length > 0) throw new Error(`seed ${seed}: ledger audit: ${violations.slice(0, 5).join('; ')}`);
    return { seed, requests, byStatus, milliseconds: Date.now() - started };
  } finally {
    client?.close();
    await t.close();
  }
}

/** Wait (at most 5 s, polling) until no request (speech) hold is open; throws a finding otherwise. */
async function requestHoldsSettled(database: Database, where: () => string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await rowsOf(database, "SELECT COUNT(*) AS n FROM holds WHERE state = 'open' AND job_id IS NULL");
    if (Number(row?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`a speech hold is still open 5 s after its answer — ${where()}`);
}
