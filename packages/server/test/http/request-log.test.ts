import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startTestApp } from '../support/test-app.js';

/** A pino line, as the app writes it. */
type Line = { level: number; msg: string; reqId?: string; [field: string]: unknown };

test('every request logs one info line: id, method, route pattern, status, ms and account, never a key', async () => {
  const lines: string[] = [];
  const t = await startTestApp({
    env: { LOG_LEVEL: 'info', OVERTURE_EXTENSIONS: 'true' },
    parts: { logStream: { write: (line) => void lines.push(line) } },
  });
  try {
    const requests = () => lines.map((line) => JSON.parse(line) as Line).filter((line) => line.msg === 'request');
    const jobId = randomUUID();
    const status = await t.request('GET', `/api/v1/audio/status/${jobId}`);
    assert.equal(status.statusCode, 404);
    const [keyed] = requests();
    assert.deepEqual(
      { ...keyed, ms: typeof keyed?.ms, time: undefined, pid: undefined, hostname: undefined },
      {
        level: 30,
        msg: 'request',
        reqId: status.headers['x-request-id'],
        method: 'GET',
        route: '/api/v1/audio/status/:id',
        status: 404,
        ms: 'number',
        account: t.account.account_id,
        time: undefined,
        pid: undefined,
        hostname: undefined,
      },
    );
    const refused = await t.request('GET', '/api/v1/audio/jobs', undefined, 'not-a-real-key-0123456789');
    assert.equal(refused.statusCode, 401);
    assert.equal(requests().at(-1)?.account, undefined, 'no account without a valid key');
    assert.equal(requests().at(-1)?.status, 401);

    // A plain public quote is answered by the fast lane, outside Fastify: it logs the same line.
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.http.server.address() as AddressInfo;
    const quote = await fetch(`http://127.0.0.1:${port}/api/v1/audio/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'overture-music', duration_seconds: 60 }),
    });
    assert.equal(quote.status, 200);
    const fast = requests().at(-1);
    assert.equal(fast?.reqId, quote.headers.get('x-request-id'));
    assert.deepEqual([fast?.method, fast?.route, fast?.status, fast?.level], ['POST', '/api/v1/audio/quote', 200, 30]);

    const all = lines.join('\n');
    for (const secret of [t.account.inference_key, 'not-a-real-key-0123456789', 'Bearer', jobId])
      assert.ok(!all.includes(secret), `no ${secret === jobId ? 'raw URL' : 'key material'} in the log`);
  } finally {
    await t.close();
  }
});
