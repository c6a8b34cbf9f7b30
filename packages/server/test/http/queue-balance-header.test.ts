import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromMicros } from '../../src/domain/money.js';
import { startTestApp } from '../support/test-app.js';

test("the queue answer's balance header shows the balance after the hold", async () => {
  const t = await startTestApp({ usd: 1 });
  try {
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.http.server.address() as { port: number }).port}`;
    const response = await fetch(`${base}/api/v1/audio/queue`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.account.inference_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'overture-music', prompt: 'uplifting indie folk', duration_seconds: 60 }),
    });
    assert.equal(response.status, 200);
    const { usd } = await t.app.store.ledger.getBalance(t.account.account_id, Date.now());
    assert.ok(usd.available < 1_000_000, 'the price was held');
    // A hold moves money out of available; a later capture leaves available as it is.
    assert.equal(response.headers.get('x-venice-balance-usd'), String(fromMicros(usd.available)));
    assert.equal(response.headers.get('x-venice-balance-diem'), '0');
  } finally {
    await t.close();
  }
});
