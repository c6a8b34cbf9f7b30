import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { startTestApp } from '../support/test-app.js';

const TOKEN = 'metrics-token-0123456789';

test('every answer over a real socket carries nosniff and a referrer policy; /docs a strict CSP', async () => {
  const t = await startTestApp({ env: { OVERTURE_METRICS_TOKEN: TOKEN } });
  try {
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.http.server.address() as { port: number }).port}`;
    const json = { 'content-type': 'application/json' };
    const answers = {
      health: await fetch(`${base}/healthz`),
      // Plain quotes are answered by the fast lane, without Fastify.
      fastLane: await fetch(`${base}/api/v1/audio/quote`, { method: 'POST', headers: json, body: '{"model":"overture-sketch"}' }),
      refused: await fetch(`${base}/api/v1/audio/quote`, { method: 'POST', headers: json, body: '{' }),
      unknownRoute: await fetch(`${base}/nowhere`),
      docs: await fetch(`${base}/docs`),
    };
    for (const [name, response] of Object.entries(answers)) {
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', name);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', name);
    }
    const page = await answers.docs.text();
    const policy = answers.docs.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /frame-ancestors 'none'/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] as string;
    assert.ok(
      policy.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`),
      'the inline style is allowed by its hash',
    );
    assert.doesNotMatch(policy, /unsafe/);
  } finally {
    await t.close();
  }
});

test('/metrics wants the metrics token when one is set, and stays open without one', async () => {
  const closed = await startTestApp({ env: { OVERTURE_METRICS_TOKEN: TOKEN } });
  const open = await startTestApp();
  try {
    const metrics = (key?: string) =>
      closed.app.http.inject({ method: 'GET', url: '/metrics', headers: key ? { authorization: `Bearer ${key}` } : {} });
    for (const key of [undefined, 'wrong-token-0123456789', closed.account.inference_key]) {
      const refused = await metrics(key);
      assert.equal(refused.statusCode, 401, String(key));
      assert.deepEqual(refused.json(), { error: 'Authentication failed' });
    }
    const allowed = await metrics(TOKEN);
    assert.equal(allowed.statusCode, 200);
    assert.match(allowed.body, /overture_/);
    assert.equal((await open.app.http.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
  } finally {
    await closed.close();
    await open.close();
  }
});
