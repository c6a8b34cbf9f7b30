import { moneyEdge, mutate, oddValue, randomJson } from './fuzz-values.js';
import type { Prng } from './prng.js';

/** The operator token the fuzzed app is configured with. */
export const OPERATOR = 'fuzz-operator-token-0123456789';
/** Content types sent, most of them wrong. */
export const CONTENT_TYPES = [
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
/** Bodies that are not JSON (or not the JSON expected). */
export const RAW_BODIES = [
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

/** Percent-encode, tolerating lone surrogates (sent raw, as a broken client would). */
export function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

/** One generated request before headers are chosen. */
export interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
}

/** The request as text for a failure message (keys masked). */
export function describe(request: FuzzRequest, headers: Record<string, string>, payload: string | undefined): string {
  return JSON.stringify({
    ...request,
    url: request.url.length > 300 ? `${request.url.slice(0, 300)}… (${request.url.length} characters)` : request.url,
    body: undefined,
    headers: { ...headers, authorization: headers.authorization ? '[key]' : undefined },
    payload: payload?.slice(0, 300),
  });
}

/** One request: a valid template per route, often mutated, sometimes replaced by noise. */
export function buildRequest(random: Prng, ids: readonly string[], accountId: string): FuzzRequest {
  const amount = (low: number, high: number) => (random.chance(0.25) ? moneyEdge(random) : random.int(low, high));
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
    ['POST', '/operator/v1/accounts', { name: 'fuzz', usd: amount(0, 10) }],
    ['POST', `/operator/v1/accounts/${random.chance(0.5) ? accountId : encode(id)}/credit`, { usd: amount(0, 3) }],
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
