import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorFromResponse } from '../src/error-from-response.js';
import { BadRequestError, ModelNotFoundError, NotFoundError, ValidationError } from '../src/errors.js';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

test('a 400 that lists its issues is a ValidationError carrying them; another 400 stays a BadRequestError', async () => {
  const issues = [{ path: ['voice'], message: 'Must be one of: af_sky, af_bella', code: 'custom' }];
  const validation = await errorFromResponse(
    answer(400, { error: 'Invalid request parameters', details: { _errors: [], voice: { _errors: [issues[0]?.message] } }, issues }),
  );
  assert.ok(validation instanceof ValidationError);
  assert.deepEqual((validation as ValidationError).issues, issues);
  assert.equal(validation.message, 'Invalid request parameters: voice: Must be one of: af_sky, af_bella');
  const plain = await errorFromResponse(answer(400, { error: 'model is required' }));
  assert.ok(plain instanceof BadRequestError && !(plain instanceof ValidationError));
  assert.equal(plain.message, 'model is required');
});

test("the message carries the server's detail: every issue (a few), and a reason", async () => {
  const issues = Array.from({ length: 7 }, (_, index) => ({ path: ['field', index], message: `bad ${index}` }));
  const many = await errorFromResponse(answer(400, { error: 'Invalid request parameters', issues }));
  assert.equal(
    many.message,
    'Invalid request parameters: field.0: bad 0; field.1: bad 1; field.2: bad 2; field.3: bad 3; field.4: bad 4; and 2 more',
  );
  assert.equal(many.issues.length, 7);
  const reason = await errorFromResponse(answer(401, { error: 'Authentication failed', reason: 'The signature has expired' }));
  assert.equal(reason.message, 'Authentication failed: The signature has expired');
});

test('a 404 for a model is a ModelNotFoundError naming it; other 404s stay as the server said', async () => {
  const model = await errorFromResponse(answer(404, { error: 'Specified model not found' }), { model: 'nope', modelType: 'tts' });
  assert.ok(model instanceof ModelNotFoundError && model instanceof NotFoundError);
  assert.equal(model.code, 'model_not_found');
  assert.equal(
    model.message,
    'Specified model not found: "nope" is not served here; list the models with GET /models?type=tts (client.models.list({ type: \'tts\' }))',
  );
  const media = await errorFromResponse(answer(404, { error: 'Not found' }), { model: 'nope' });
  assert.ok(!(media instanceof ModelNotFoundError));
  assert.equal(media.message, 'Not found');
});
