import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { LightMyRequestResponse } from 'fastify';
import { buildOpenApi } from '../../../src/http/openapi.js';
import { startTestApp } from '../../support/test-app.js';

const OPERATOR = 'operator-token-0123456789';
const document = buildOpenApi();
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(document, 'openapi');
const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The documented JSON schema of an answer, following a `$ref` to a shared response. */
function answerSchema(path: string, method: string, status: number): string {
  const responses = (document.paths as Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>)[path]?.[method]
    ?.responses;
  const response = responses?.[String(status)];
  assert.ok(response, `${method.toUpperCase()} ${path} documents a ${status}`);
  const base = response.$ref ? response.$ref.slice(1) : `/${pointer('paths', path, method, 'responses', String(status))}`;
  return `openapi#${base}/content/${pointer('application/json')}/schema`;
}

/** Check a real answer against the document: its status is listed, its JSON body fits the schema. */
function conforms(answer: LightMyRequestResponse, path: string, method: string): void {
  const validate = ajv.getSchema(answerSchema(path, method, answer.statusCode));
  assert.ok(validate, `a schema for ${method} ${path} ${answer.statusCode}`);
  const body = answer.json();
  assert.ok(validate(body), `${method.toUpperCase()} ${path} ${answer.statusCode}: ${ajv.errorsText(validate.errors)} in ${answer.body}`);
}

test('real answers, errors included, fit the schemas the document gives them', async () => {
  const t = await startTestApp({ env: { OVERTURE_OPERATOR_TOKEN: OPERATOR } });
  try {
    const admin = t.account.admin_key;
    const operator = (method: string, url: string, body?: unknown) =>
      t.app.http.inject({
        method: method as 'GET',
        url,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}` },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    const job = { model: 'overture-sketch', prompt: 'a calm piano', duration_seconds: 1 };
    conforms(await t.request('GET', '/api/v1/models', undefined, null), '/api/v1/models', 'get');
    conforms(await t.request('POST', '/api/v1/audio/quote', job), '/api/v1/audio/quote', 'post');
    const queued = await t.request('POST', '/api/v1/audio/queue', job);
    conforms(queued, '/api/v1/audio/queue', 'post');
    for (const name of [
      'x-ratelimit-limit-requests',
      'x-ratelimit-remaining-requests',
      'x-ratelimit-reset-requests',
      'x-venice-balance-usd',
    ])
      assert.ok(queued.headers[name] !== undefined, `the documented ${name} header is sent`);
    const id = queued.json().queue_id as string;
    const retrieved = await t.request('POST', '/api/v1/audio/retrieve', { model: job.model, queue_id: id });
    if (String(retrieved.headers['content-type']).startsWith('application/json')) conforms(retrieved, '/api/v1/audio/retrieve', 'post');
    conforms(await t.request('GET', `/api/v1/audio/status/${id}`), '/api/v1/audio/status/{queue_id}', 'get');
    conforms(await t.request('GET', '/api/v1/audio/jobs?limit=1'), '/api/v1/audio/jobs', 'get');
    conforms(await t.request('GET', `/api/v1/audio/status/${id}/webhooks`), '/api/v1/audio/status/{queue_id}/webhooks', 'get');
    conforms(await t.request('POST', '/api/v1/audio/cancel', { model: job.model, queue_id: id }), '/api/v1/audio/cancel', 'post');
    conforms(await t.request('POST', '/api/v1/audio/complete', { model: job.model, queue_id: id }), '/api/v1/audio/complete', 'post');
    conforms(await t.request('GET', '/api/v1/api_keys/rate_limits'), '/api/v1/api_keys/rate_limits', 'get');
    conforms(await t.request('GET', '/api/v1/billing/balance', undefined, admin), '/api/v1/billing/balance', 'get');
    conforms(await t.request('GET', '/api/v1/webhooks/secret', undefined, admin), '/api/v1/webhooks/secret', 'get');
    conforms(await t.request('GET', '/api/v1/api_keys', undefined, admin), '/api/v1/api_keys', 'get');
    const created = await t.request('POST', '/api/v1/api_keys', { apiKeyType: 'INFERENCE', description: 'docs' }, admin);
    conforms(created, '/api/v1/api_keys', 'post');
    conforms(await t.request('DELETE', `/api/v1/api_keys?id=${created.json().data.id}`, undefined, admin), '/api/v1/api_keys', 'delete');
    conforms(await t.request('GET', '/healthz', undefined, null), '/healthz', 'get');
    conforms(await t.request('GET', '/readyz', undefined, null), '/readyz', 'get');
    const account = await operator('POST', '/operator/v1/accounts', { name: 'documented', usd: 1 });
    conforms(account, '/operator/v1/accounts', 'post');
    const accountId = account.json().account_id as string;
    conforms(await operator('GET', `/operator/v1/accounts/${accountId}`), '/operator/v1/accounts/{id}', 'get');
    conforms(await operator('POST', `/operator/v1/accounts/${accountId}/credit`, { usd: 1 }), '/operator/v1/accounts/{id}/credit', 'post');
    conforms(await operator('GET', '/operator/v1/x402/payments'), '/operator/v1/x402/payments', 'get');
    conforms(await operator('GET', '/operator/v1/costs'), '/operator/v1/costs', 'get');
    // Refusals: each status must be documented for the route, with the error body's schema.
    conforms(await t.request('POST', '/api/v1/audio/queue', { ...job, duration_seconds: 'long' }), '/api/v1/audio/queue', 'post');
    conforms(await t.request('POST', '/api/v1/audio/queue', job, 'wrong-key'), '/api/v1/audio/queue', 'post');
    conforms(await t.request('POST', '/api/v1/audio/queue', { ...job, model: 'no-such-model' }), '/api/v1/audio/queue', 'post');
    conforms(await t.request('GET', '/api/v1/audio/jobs?after=forged'), '/api/v1/audio/jobs', 'get');
    conforms(await t.request('GET', '/api/v1/billing/balance'), '/api/v1/billing/balance', 'get');
    conforms(await operator('GET', '/operator/v1/accounts/nobody'), '/operator/v1/accounts/{id}', 'get');
  } finally {
    await t.close();
  }
});
