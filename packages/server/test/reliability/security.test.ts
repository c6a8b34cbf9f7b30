import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { waitForMedia } from '../support/test-app.js';
import { FaultyMedia } from './support/faulty-media.js';
import { withAppOn, assertErrorShape, queueOne, sketch, until } from './support/reliability-app.js';

const model = 'overture-sketch';
const NOT_FOUND = { error: 'Media could not be found. Request may be invalid, expired, or deleted.' };

test("another account's queue_id is always a 404, indistinguishable from one that never existed, and changes nothing", () =>
  withAppOn('gate', {}, async (t, fakes) => {
    const other = await t.app.services.accounts.create({ name: 'other', pro: true, usd: 1, diemDaily: 0 });
    const done = await queueOne(t, other.inference_key);
    await until(() => fakes.waitingCount() === 1, 30_000, 'running');
    fakes.release();
    await waitForMedia(t, model, done, other.inference_key);
    const pending = await queueOne(t, other.inference_key);
    for (const queueId of [done, pending, crypto.randomUUID()]) {
      for (const key of [t.account.inference_key, t.account.admin_key]) {
        for (const [method, url, body] of [
          ['POST', '/api/v1/audio/retrieve', { model, queue_id: queueId }],
          ['POST', '/api/v1/audio/retrieve', { model, queue_id: queueId, delete_media_on_completion: true }],
          ['POST', '/api/v1/audio/complete', { model, queue_id: queueId }],
          ['POST', '/api/v1/audio/cancel', { model, queue_id: queueId }],
          ['GET', `/api/v1/audio/status/${queueId}`, undefined],
          ['GET', `/api/v1/audio/status/${queueId}/webhooks`, undefined],
          ['GET', `/api/v1/audio/status/${queueId}/events`, undefined],
        ] as const) {
          const response = await t.request(method, url, body, key);
          assert.equal(response.statusCode, 404, `${method} ${url}`);
          assert.deepEqual(response.json(), NOT_FOUND, `${method} ${url}: the same body as an unknown id`);
        }
      }
    }
    const still = await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id: done }, other.inference_key);
    assert.equal(still.statusCode, 200, 'the owner still gets the media: no foreign complete deleted it');
    assert.equal(
      (await t.request('GET', `/api/v1/audio/status/${pending}`, undefined, other.inference_key)).json().state,
      'running',
      'no foreign cancel',
    );
  }));

test('key guessing is rate limited per client: 429 with Retry-After after OVERTURE_RATE_LIMIT_AUTH_FAILURES', () =>
  withAppOn('tone', { env: { OVERTURE_RATE_LIMIT_AUTH_FAILURES: '5' } }, async (t) => {
    const guess = (i: number) => t.request('GET', '/api/v1/api_keys/rate_limits', undefined, `ovt_${'A'.repeat(42)}${i}`);
    for (let i = 0; i < 5; i++) assert.equal((await guess(i)).statusCode, 401);
    for (let i = 5; i < 25; i++) {
      const limited = await guess(i);
      assert.equal(limited.statusCode, 429);
      assertErrorShape(limited);
      assert.ok(Number(limited.headers['retry-after']) > 0);
    }
    const noKey = await t.request('POST', '/api/v1/audio/queue', sketch(), null);
    assert.equal(noKey.statusCode, 429, 'a missing key counts as a failure too');
  }));

test('path tricks in ids never reach the file system', async () => {
  const recorder: { media?: FaultyMedia } = {};
  await withAppOn('tone', { media: (inner) => (recorder.media = new FaultyMedia(inner)) }, async (t) => {
    const real = await queueOne(t);
    await waitForMedia(t, model, real);
    const tricks = [
      '../overture.sqlite',
      '../../../../etc/passwd',
      `${real}/../${real}`,
      `../media/${real}-1.wav`,
      '/etc/passwd',
      '..',
      '.',
      `${real}-1.wav`,
      `${real}\u0000.wav`,
      `${real}%2F..%2F`,
      'C:\\Windows\\win.ini',
      'a'.repeat(200),
      `${real} `,
      ` ${real}`,
      real.toUpperCase(),
    ];
    for (const id of tricks) {
      for (const [method, url, body] of [
        ['POST', '/api/v1/audio/retrieve', { model, queue_id: id, delete_media_on_completion: true }],
        ['POST', '/api/v1/audio/complete', { model, queue_id: id }],
        ['POST', '/api/v1/audio/cancel', { model, queue_id: id }],
        ['GET', `/api/v1/audio/status/${encodeURIComponent(id)}`, undefined],
      ] as const) {
        const response = await t.request(method, url, body);
        assert.ok([400, 404].includes(response.statusCode), `${url} ${JSON.stringify(id)}: ${response.statusCode}`);
        assertErrorShape(response, id);
      }
    }
    for (const raw of [
      '/api/v1/audio/status/..%2F..%2Foverture.sqlite',
      '/api/v1/audio/status/%2e%2e',
      '/api/v1/../../etc/passwd',
      '/api/v1/audio/status/%00',
    ]) {
      const response = await t.request('GET', raw);
      assert.ok(response.statusCode === 404 || response.statusCode === 400, `${raw}: ${response.statusCode}`);
    }
    const allowed = new RegExp(`^${real}-\\d+\\.wav$`);
    assert.ok(recorder.media!.keys.length > 0);
    for (const key of recorder.media!.keys) assert.match(key, allowed, 'only the server-made key of the real job reached the media store');
    assert.equal(
      (await t.request('POST', '/api/v1/audio/retrieve', { model, queue_id: real })).statusCode,
      200,
      'the real media is untouched',
    );
  });
});

test('admin and operator routes refuse inference keys (and operator routes refuse every API key)', () =>
  withAppOn('tone', { env: { OVERTURE_OPERATOR_TOKEN: 'operator-token-0123456789' } }, async (t) => {
    const before = await t.app.store.ledger.ledgerTotals();
    for (const [method, url, body] of [
      ['GET', '/api/v1/billing/balance', undefined],
      ['GET', '/api/v1/api_keys', undefined],
      ['POST', '/api/v1/api_keys', { apiKeyType: 'ADMIN', description: 'escalate' }],
      ['DELETE', `/api/v1/api_keys?id=${crypto.randomUUID()}`, undefined],
      ['GET', '/api/v1/webhooks/secret', undefined],
    ] as const) {
      const response = await t.request(method, url, body, t.account.inference_key);
      assert.equal(response.statusCode, 401, `${method} ${url}`);
      assert.deepEqual(response.json(), { error: 'Admin API key required' });
    }
    for (const key of [t.account.inference_key, t.account.admin_key, null, 'operator-token-012345678']) {
      for (const [method, url, body] of [
        ['POST', '/operator/v1/accounts', { name: 'mallory', usd: 1000 }],
        ['POST', `/operator/v1/accounts/${t.account.account_id}/credit`, { usd: 1000 }],
        ['GET', `/operator/v1/accounts/${t.account.account_id}`, undefined],
      ] as const) {
        const response = await t.request(method, url, body, key);
        assert.equal(response.statusCode, 401, `${method} ${url} with ${key}`);
        assert.deepEqual(response.json(), { error: 'Operator token required' });
      }
    }
    assert.deepEqual(await t.app.store.ledger.ledgerTotals(), before, 'no money was created');
    assert.equal(await t.app.store.accounts.countAccounts(), 1);
  }));

/** A raw client on a real socket: resolves with what the server sent and when it closed. */
function rawClient(port: number, send: (socket: ReturnType<typeof connect>) => void, limitMs: number) {
  return new Promise<{ text: string; closedAfterMs: number }>((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => send(socket));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${limitMs} ms; got ${JSON.stringify(text.slice(0, 80))}`));
    }, limitMs).unref();
  });
}

test('oversized bodies are 413 and slow requests are cut off on a real socket (OVERTURE_REQUEST_TIMEOUT_SECONDS)', () =>
  withAppOn('tone', { env: { OVERTURE_REQUEST_TIMEOUT_SECONDS: '1', OVERTURE_BODY_LIMIT_BYTES: '4096' } }, async (t) => {
    const big = await t.request('POST', '/api/v1/audio/queue', { ...sketch(), prompt: 'x'.repeat(5000) });
    assert.equal(big.statusCode, 413);
    assertErrorShape(big);
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.http.server.address() as AddressInfo).port;
    const key = t.account.inference_key;
    // Upper bounds well past the 1 s limit (for a loaded machine) and well short of Node's own
    // defaults (deadlines checked every 30 s, headers allowed 60 s): only the setting cuts these off.
    const oversized = await rawClient(
      port,
      (socket) => {
        socket.write(
          `POST /api/v1/audio/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`,
        );
        socket.write('{"model":"' + 'x'.repeat(8000));
      },
      25_000,
    );
    assert.match(oversized.text, /^HTTP\/1.1 413/);
    const stalledBody = await rawClient(
      port,
      (socket) => {
        socket.write(
          `POST /api/v1/audio/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"mod`,
        );
      },
      25_000,
    );
    assert.ok(stalledBody.closedAfterMs < 15_000, `stalled body cut off after ${stalledBody.closedAfterMs} ms`);
    const trickledHeaders = await rawClient(
      port,
      (socket) => {
        socket.write('GET /api/v1/models HTTP/1.1\r\nHost: x\r\n');
        const timer = setInterval(() => (socket.writable ? socket.write('X-Slow: 1\r\n') : clearInterval(timer)), 200);
        socket.on('close', () => clearInterval(timer));
      },
      25_000,
    );
    assert.ok(trickledHeaders.closedAfterMs < 15_000, `trickled headers cut off after ${trickledHeaders.closedAfterMs} ms`);
    const trickledBody = await rawClient(
      port,
      (socket) => {
        socket.write(`POST /api/v1/audio/quote HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
        const timer = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(timer)), 200);
        socket.on('close', () => clearInterval(timer));
      },
      25_000,
    );
    assert.ok(trickledBody.closedAfterMs < 15_000, `trickled body cut off after ${trickledBody.closedAfterMs} ms`);
    assert.equal((await t.app.store.statistics.countJobs()).queued, 0, 'nothing was queued by a cut-off request');
  }));

test('no secret appears in the logs, even at trace level and on failures', async () => {
  const lines: string[] = [];
  const logStream = { write: (line: string) => void lines.push(line) };
  const operatorToken = 'operator-token-secret-0123456789';
  await withAppOn(
    'broken',
    {
      env: { LOG_LEVEL: 'trace', OVERTURE_OPERATOR_TOKEN: operatorToken, OVERTURE_MAX_ATTEMPTS: '1' },
      parts: { logStream },
    },
    async (t) => {
      const created = (
        await t.request('POST', '/api/v1/api_keys', { apiKeyType: 'INFERENCE', description: 'k' }, t.account.admin_key)
      ).json().data.apiKey as string;
      const webhookSecret = (await t.request('GET', '/api/v1/webhooks/secret', undefined, t.account.admin_key)).json().secret as string;
      const opened = await t.request('POST', '/operator/v1/accounts', { name: 'n', usd: 1 }, operatorToken);
      const newAccount = opened.json();
      const failed = await queueOne(t, created);
      const answer = await waitForMedia(t, model, failed, created);
      assert.equal(answer.statusCode, 500, 'the broken engine failed the job (an error was logged)');
      await t.request('GET', '/api/v1/billing/balance', undefined, `${t.account.admin_key}x`);
      await t.app.http.inject({
        method: 'GET',
        url: '/api/v1/models',
        headers: { authorization: `Bearer ${created}`, 'sign-in-with-x': created },
      });
      const secrets = [
        t.account.inference_key,
        t.account.admin_key,
        created,
        webhookSecret,
        operatorToken,
        newAccount.admin_key,
        newAccount.inference_key,
      ];
      const log = lines.join('');
      assert.ok(lines.length > 10, `captured ${lines.length} log lines`);
      assert.match(log, /"msg":"job failed"/);
      for (const secret of secrets) {
        assert.ok(typeof secret === 'string' && secret.length > 16);
        assert.equal(log.includes(secret), false, `a secret ending …${secret.slice(-6)} is in the logs`);
        assert.equal(log.includes(secret.slice(8)), false, 'nor a long part of one');
      }
    },
  );
});
