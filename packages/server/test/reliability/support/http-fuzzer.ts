import type { LightMyRequestResponse } from 'fastify';
import { auditSqlite } from './sqlite-audit.js';
import { mutate, oddValue, randomJson } from './fuzz-values.js';
import { Prng } from './prng.js';
import { appOn } from './reliability-app.js';

/** What a fuzz run did. */
export interface FuzzReport {
  readonly seed: number;
  readonly requests: number;
  readonly byStatus: Record<number, number>;
  readonly milliseconds: number;
}

const OPERATOR = 'fuzz-operator-token-0123456789';
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'APPLICATION/JSON',
  '',
];
const RAW_BODIES = [
  '{',
  '{"model":',
  'null',
  '[]',
  '""',
  '\u0000',
  'model=overture-sketch',
  '{"model":"overture-sketch",}',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  ' ',
];

/**
 * Schema-aware and random requests against every route through `inject`, on an API-only app (no
 * workers, so state changes only through requests). After each request: no 5xx; a rejection is
 * JSON `{"error": string, ...}` and changed neither the ledger totals, the job counts, the
 * accounts nor the keys. Throws on the first violation with the seed and request to replay it.
 */
export async function runHttpFuzz(seed: number, requests: number): Promise<FuzzReport> {
  const random = new Prng(seed);
  const started = Date.now();
  const { test: t } = await appOn('tone', {
    usd: 1000,
    env: {
      OVERTURE_ROLE: 'api',
      OVERTURE_OPERATOR_TOKEN: OPERATOR,
      OVERTURE_RATE_LIMIT_AUTH_FAILURES: '100000000',
      OVERTURE_BODY_LIMIT_BYTES: '16384',
    },
  });
  const byStatus: Record<number, number> = {};
  try {
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
        await t.app.store.ledgerTotals(),
        await t.app.store.countJobs(),
        await t.app.store.countAccounts(),
        (await t.app.store.listKeys(t.account.account_id)).length,
      ]);
    let before = await snapshot();
    for (let i = 0; i < requests; i++) {
      const request = buildRequest(random, ids, t.account.account_id);
      const fitting = request.url.startsWith('/operator')
        ? OPERATOR
        : /billing\/balance|\/api_keys(\?|$)|webhooks\/secret/.test(request.url)
          ? t.account.admin_key
          : t.account.inference_key;
      const key = random.chance(0.7) ? fitting : random.chance(0.8) ? random.pick(keys) : undefined;
      const headers: Record<string, string> = {};
      const contentType = random.chance(0.8) ? 'application/json' : random.pick(CONTENT_TYPES);
      if (contentType) headers['content-type'] = contentType;
      if (key !== undefined)
        headers.authorization = random.chance(0.95) ? `Bearer ${key}` : random.pick([key, `Basic ${key}`, 'Bearer', `Bearer ${key} extra`]);
      if (random.chance(0.1)) headers['idempotency-key'] = random.pick(['k1', 'k2', '', ' ', 'x'.repeat(300), '\u00e9']);
      if (random.chance(0.05)) headers['x-request-id'] = random.pick(['abc', '../../x', 'x'.repeat(500)]);
      const payload = request.body === undefined ? undefined : random.chance(0.07) ? random.pick(RAW_BODIES) : JSON.stringify(request.body);
      let response: LightMyRequestResponse;
      try {
        response = await t.app.http.inject({
          method: request.method as 'GET',
          url: request.url,
          headers,
          ...(payload === undefined ? {} : { payload }),
        });
      } catch (error) {
        throw new Error(`seed ${seed} request ${i}: inject threw ${String(error)} for ${describe(request, headers, payload)}`);
      }
      byStatus[response.statusCode] = (byStatus[response.statusCode] ?? 0) + 1;
      const where = () =>
        `seed ${seed} request ${i}: ${response.statusCode} ${response.body.slice(0, 200)} for ${describe(request, headers, payload)}`;
      if (response.statusCode >= 500) throw new Error(`5xx — ${where()}`);
      const after = await snapshot();
      if (response.statusCode >= 400 && request.method !== 'HEAD') {
        let body: unknown;
        try {
          body = response.json();
        } catch {
          throw new Error(`rejection is not JSON — ${where()}`);
        }
        if (!body || typeof (body as { error?: unknown }).error !== 'string')
          throw new Error(`rejection not in the error shape — ${where()}`);
      }
      if (response.statusCode >= 400) {
        if (after !== before) throw new Error(`a rejected request changed state: ${before} → ${after} — ${where()}`);
      } else if (request.url === '/api/v1/audio/queue') {
        const id = (response.json() as { queue_id?: string }).queue_id;
        if (id) ids.push(id);
      }
      before = after;
    }
    const audit = await auditSqlite(t.directory);
    if (audit.violations.length > 0) throw new Error(`seed ${seed}: ledger audit: ${audit.violations.slice(0, 5).join('; ')}`);
    return { seed, requests, byStatus, milliseconds: Date.now() - started };
  } finally {
    await t.close();
  }
}

/** Percent-encode, tolerating lone surrogates (sent raw, as a broken client would). */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
}

function describe(request: FuzzRequest, headers: Record<string, string>, payload: string | undefined): string {
  return JSON.stringify({
    ...request,
    body: undefined,
    headers: { ...headers, authorization: headers.authorization ? '[key]' : undefined },
    payload: payload?.slice(0, 300),
  });
}

/** One request: a valid template per route, often mutated, sometimes replaced by noise. */
function buildRequest(random: Prng, ids: readonly string[], accountId: string): FuzzRequest {
  const id = random.chance(0.7) ? random.pick(ids) : String(oddValue(random));
  const model = random.chance(0.8)
    ? 'overture-sketch'
    : random.pick(['overture-music', 'overture-tts', 'overture-narrator', 'overture-music-pro', 'nope']);
  const templates: [string, string, Record<string, unknown> | undefined][] = [
    ['GET', `/api/v1/models?type=${random.pick(['music', 'tts', 'all', 'image', 'bogus', ''])}`, undefined],
    ['POST', '/api/v1/audio/quote', { model, duration_seconds: random.int(1, 700) }],
    ['POST', '/api/v1/audio/queue', { model, prompt: 'a small sketch in C major', duration_seconds: random.int(1, 30) }],
    ['POST', '/api/v1/audio/retrieve', { model, queue_id: id, delete_media_on_completion: random.chance(0.3) }],
    ['POST', '/api/v1/audio/complete', { model, queue_id: id }],
    ['POST', '/api/v1/audio/cancel', { model, queue_id: id }],
    [
      'POST',
      '/api/v1/audio/speech',
      { model: 'overture-tts', input: 'Hello there.', voice: random.pick(['oscar', 'nobody']), response_format: 'wav' },
    ],
    ['GET', `/api/v1/audio/status/${encode(id)}`, undefined],
    ['GET', `/api/v1/audio/status/${encode(id)}/webhooks`, undefined],
    ['GET', '/api/v1/billing/balance', undefined],
    ['GET', '/api/v1/api_keys/rate_limits', undefined],
    ['GET', '/api/v1/api_keys', undefined],
    ['POST', '/api/v1/api_keys', { apiKeyType: random.pick(['INFERENCE', 'ADMIN', 'ROOT']), description: 'fuzz' }],
    ['DELETE', `/api/v1/api_keys?id=${encode(String(oddValue(random)))}`, undefined],
    ['GET', '/api/v1/webhooks/secret', undefined],
    ['POST', '/operator/v1/accounts', { name: 'fuzz', usd: random.int(0, 10) }],
    ['POST', `/operator/v1/accounts/${random.chance(0.5) ? accountId : encode(id)}/credit`, { usd: random.int(0, 3) }],
    ['GET', `/operator/v1/accounts/${random.chance(0.5) ? accountId : encode(id)}`, undefined],
    [
      'GET',
      random.pick([
        '/healthz',
        '/readyz',
        '/openapi.json',
        '/metrics',
        '/docs',
        '/api/v1/nope',
        '/api/v1/audio/../models',
        '/%',
        '/api/v1/audio/status/',
      ]),
      undefined,
    ],
  ];
  let [method, url, body] = random.pick(templates) as [string, string, unknown];
  const roll = random.next();
  if (roll < 0.45 && body && typeof body === 'object') body = mutate(random, body as Record<string, unknown>);
  else if (roll < 0.55) body = randomJson(random);
  if (random.chance(0.04)) method = random.pick(['PUT', 'PATCH', 'DELETE', 'GET', 'POST', 'OPTIONS', 'HEAD']);
  if (random.chance(0.03)) url += random.pick(['/', '?x=1', '?type=music&type=tts', '#frag', '%20', '//']);
  return { method, url, body: method === 'GET' && random.chance(0.8) ? undefined : body };
}
