import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorFromResponse } from '../src/error-from-response.js';
import { BadRequestError, ValidationError } from '../src/errors.js';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

test('a 400 that lists its issues is a ValidationError carrying them; another 400 stays a BadRequestError', async () => {
  const issues = [{ path: ['voice'], message: 'Must be one of: af_sky, af_bella', code: 'custom' }];
  const validation = await errorFromResponse(
    answer(400, { error: 'Invalid request parameters', details: { _errors: [], voice: { _errors: [issues[0]?.message] } }, issues }),
  );
  assert.ok(validation instanceof ValidationError);
  assert.deepEqual((validation as ValidationError).issues, issues);
  const plain = await errorFromResponse(answer(400, { error: 'model is required' }));
  assert.ok(plain instanceof BadRequestError && !(plain instanceof ValidationError));
  assert.equal(plain.message, 'model is required');
});
