import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp, waitForMedia } from '../support/test-app.js';

test('the seed flow: models, quote, queue, retrieve, complete', async () => {
  const t = await startTestApp();
  try {
    const models = await t.request('GET', '/api/v1/models?type=music', undefined, null);
    assert.equal(models.statusCode, 200);
    const quote = await t.request('POST', '/api/v1/audio/quote', { model: 'overture-sketch', duration_seconds: 3 }, null);
    assert.deepEqual(quote.json(), { quote: 0.0003 });
    const queued = await t.request('POST', '/api/v1/audio/queue', {
      model: 'overture-sketch',
      prompt: 'calm piano in A minor at 90 bpm',
      duration_seconds: 3,
    });
    assert.equal(queued.statusCode, 200, queued.body);
    const { queue_id } = queued.json();
    const done = await waitForMedia(t, 'overture-sketch', queue_id);
    assert.equal(done.statusCode, 200);
    assert.equal(done.headers['content-type'], 'audio/wav');
    assert.equal(done.rawPayload.subarray(0, 4).toString(), 'RIFF');
    const complete = await t.request('POST', '/api/v1/audio/complete', { model: 'overture-sketch', queue_id });
    assert.deepEqual(complete.json(), { success: true });
  } finally {
    await t.close();
  }
});
