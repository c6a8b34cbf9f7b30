import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fastLaneOf } from '../../src/http/http-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let port = 0;
let laneAnswers = 0;
before(async () => {
  t = await startTestApp({ env: { OVERTURE_BODY_LIMIT_BYTES: '4096' } });
  const lane = fastLaneOf(t.app.http);
  assert.ok(lane, 'the fast lane is on unless requests are logged');
  const take = lane.take.bind(lane);
  lane.take = (request, response) => {
    const taken = take(request, response);
    if (taken) laneAnswers++;
    return taken;
  };
  await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.http.server.address() as AddressInfo).port;
});
after(() => t.close());

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request over real HTTP (where the fast lane sits), with exactly these headers. */
function overHttp(body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/audio/quote', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** The same request through Fastify alone (inject never reaches the node:http server). */
async function throughFastify(body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await t.app.http.inject({ method: 'POST', url: '/api/v1/audio/quote', headers, payload: body });
  const answered = Object.fromEntries(
    Object.entries(response.headers).map(([name, value]) => [name, typeof value === 'number' ? String(value) : value]),
  );
  return { status: response.statusCode, headers: answered, body: response.body };
}

/** Headers that must match between the two paths (connection handling and dates aside). */
function comparable(answer: Answer, sentId?: string): Record<string, unknown> {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, 'x-request-id': id, ...rest } = answer.headers;
  assert.ok(typeof id === 'string' && id.length > 0, 'every answer names its request');
  if (sentId) assert.equal(id, sentId);
  return { status: answer.status, headers: rest, body: answer.body };
}

const cases: { name: string; body: string; headers?: Record<string, string> }[] = [
  { name: 'a music quote', body: JSON.stringify({ model: 'overture-music', duration_seconds: 60 }) },
  { name: 'the default duration', body: JSON.stringify({ model: 'overture-music' }) },
  { name: 'a speech quote by characters', body: JSON.stringify({ model: 'overture-tts', character_count: 1200 }) },
  {
    name: 'a +json content type',
    body: JSON.stringify({ model: 'overture-music' }),
    headers: { 'content-type': 'application/vnd.api+json' },
  },
  { name: 'an unknown field', body: JSON.stringify({ model: 'overture-music', tempo: 120 }) },
  { name: 'a fractional duration', body: JSON.stringify({ model: 'overture-music', duration_seconds: 1.5 }) },
  { name: 'an unknown model', body: JSON.stringify({ model: 'no-such-model' }) },
  { name: 'a body that is not an object', body: '[1, 2]' },
  { name: 'invalid JSON', body: '{"model": ' },
  { name: 'an empty body', body: '' },
  { name: 'whitespace only', body: ' \n ' },
  { name: 'a request id to echo', body: JSON.stringify({ model: 'overture-music' }), headers: { 'x-request-id': 'client-id-1' } },
];

test('plain quotes take the fast lane and answer exactly as Fastify does', async () => {
  for (const { name, body, headers = {} } of cases) {
    const sent = { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const before = laneAnswers;
    const lane = await overHttp(body, sent);
    assert.equal(laneAnswers, before + 1, `${name}: answered by the fast lane`);
    const fastify = await throughFastify(body, sent);
    assert.deepEqual(comparable(lane, headers['x-request-id']), comparable(fastify, headers['x-request-id']), name);
  }
});

test('requests with credentials, an origin, a chunked or oversized body, or another type go through Fastify', async () => {
  const body = JSON.stringify({ model: 'overture-music' });
  const length = String(Buffer.byteLength(body));
  const others: Record<string, string>[] = [
    { 'content-type': 'application/json', 'content-length': length, authorization: `Bearer ${t.account.inference_key}` },
    { 'content-type': 'application/json', 'content-length': length, origin: 'https://example.test' },
    { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    { 'content-type': 'text/plain', 'content-length': length },
  ];
  for (const headers of others) {
    const before = laneAnswers;
    const answer = await overHttp(body, headers);
    assert.equal(laneAnswers, before, JSON.stringify(headers));
    assert.ok([200, 415].includes(answer.status));
  }
  const keyed = await overHttp(body, others[0] as Record<string, string>);
  assert.ok(keyed.headers['x-venice-balance-usd'], 'a keyed quote still gets its balance headers');
  const big = JSON.stringify({ model: 'overture-music', padding: 'x'.repeat(5000) });
  const before = laneAnswers;
  const tooLarge = await overHttp(big, { 'content-type': 'application/json', 'content-length': String(big.length) });
  assert.equal(laneAnswers, before);
  assert.equal(tooLarge.status, 413);
});

test('the fast lane counts its answers in the metrics like any route', async () => {
  const body = JSON.stringify({ model: 'overture-music' });
  await overHttp(body, { 'content-type': 'application/json', 'content-length': String(body.length) });
  const metrics = await t.app.http.inject({ method: 'GET', url: '/metrics' });
  assert.match(
    metrics.body,
    /^overture_http_request_duration_seconds_count\{route="\/api\/v1\/audio\/quote",method="POST",status_class="2xx"\} [1-9]/m,
  );
});
