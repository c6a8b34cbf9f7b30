import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSpeechEngine } from '../../src/engines/speech/speech-engine.js';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { boundDirectory } from '../support/bound-catalog.js';
import { startTestApp, waitForMedia } from '../support/test-app.js';

const paragraph =
  'The lighthouse keeper climbed the stairs at dusk, one hundred and twelve of them, as he had done for 31 years. ' +
  'On the 3rd of May the lamp failed, and he trimmed the wick by hand until dawn. Ships passed safely; nobody knew.\n\n';

test('long-form narration through the queue: 20,000 characters, priced per thousand, progress as characters done', async () => {
  const { directory, catalog } = boundDirectory('overture-narration-', {
    picks: (model) => model.id === 'overture-narrator',
    engine: 'speech',
    keepFormats: true,
  });
  const t = await startTestApp({
    directory,
    usd: 5,
    env: { OVERTURE_CATALOG: catalog },
    parts: { engines: [createToneEngine(), createSpeechEngine()] },
  });
  try {
    const text = paragraph
      .repeat(Math.ceil(20_000 / paragraph.length))
      .slice(0, 20_000)
      .trim();
    const quote = (
      await t.request('POST', '/api/v1/audio/quote', { model: 'overture-narrator', character_count: text.length }, null)
    ).json();
    const queued = await t.request('POST', '/api/v1/audio/queue', { model: 'overture-narrator', prompt: text, voice: 'oscar', speed: 1.5 });
    assert.equal(queued.statusCode, 200, queued.body);
    const { queue_id } = queued.json();
    let sawProgress = false;
    for (let i = 0; i < 400; i++) {
      const status = (await t.request('GET', `/api/v1/audio/status/${queue_id}`)).json();
      if (status.state === 'running' && status.progress > 0 && status.progress < 1) sawProgress = true;
      if (status.state !== 'queued' && status.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const done = await waitForMedia(t, 'overture-narrator', queue_id, undefined, 120_000);
    assert.equal(done.statusCode, 200);
    assert.equal(done.headers['content-type'], 'audio/mpeg');
    const seconds = Number(done.headers['x-venice-audio-duration']);
    assert.ok(seconds > 600 && seconds < 2400, `${seconds} s of narration`);
    assert.ok(sawProgress, 'progress was reported while the engine spoke');
    const charged = 5 - (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json().balances.usd;
    assert.equal(Math.round(charged * 1e6), Math.round(quote.quote * 1e6));
    assert.equal(Math.round(quote.quote * 1e6), Math.round((text.length * 0.05 * 1e6) / 1000));
    await assertLedgerInvariants(t.app.store);
  } finally {
    await t.close();
  }
});
