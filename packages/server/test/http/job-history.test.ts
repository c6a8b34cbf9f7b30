import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp, waitForMedia } from '../support/test-app.js';

let server: TestApp;
before(async () => {
  server = await startTestApp({ usd: 10 });
});
after(() => server.close());

const queue = async (prompt: string) => {
  const response = await server.request('POST', '/api/v1/audio/queue', { model: 'overture-sketch', prompt, duration_seconds: 5 });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().queue_id as string;
};

test('GET /audio/jobs lists the account’s jobs newest first, a page at a time', async () => {
  const first = await queue('first: a calm piano sketch');
  const media = await waitForMedia(server, 'overture-sketch', first);
  assert.equal(media.statusCode, 200, media.body.slice(0, 300));
  const second = await queue('second: a faster drum sketch');
  const third = await queue('third: a brass fanfare sketch');
  assert.equal((await server.request('POST', '/api/v1/audio/cancel', { model: 'overture-sketch', queue_id: third })).statusCode, 200);

  const whole = await server.request('GET', '/api/v1/audio/jobs');
  assert.equal(whole.statusCode, 200);
  const list = whole.json();
  assert.equal(list.object, 'list');
  assert.deepEqual(
    list.data.map((job: { queue_id: string }) => job.queue_id),
    [third, second, first],
  );
  assert.equal(list.has_more, false);
  assert.equal(list.next_cursor, null);
  const done = list.data[2];
  assert.equal(done.state, 'done');
  assert.equal(done.model, 'overture-sketch');
  assert.equal(done.prompt, 'first: a calm piano sketch');
  assert.equal(done.duration_seconds, 5);
  assert.equal(done.media_available, true);
  assert.equal(done.price_usd > 0, true);
  assert.equal(list.data[0].state, 'cancelled');
  assert.equal(list.data[0].media_available, false);

  const pageOne = (await server.request('GET', '/api/v1/audio/jobs?limit=2')).json();
  assert.deepEqual(
    pageOne.data.map((job: { queue_id: string }) => job.queue_id),
    [third, second],
  );
  assert.equal(pageOne.has_more, true);
  const pageTwo = (await server.request('GET', `/api/v1/audio/jobs?limit=2&after=${pageOne.next_cursor}`)).json();
  assert.deepEqual(
    pageTwo.data.map((job: { queue_id: string }) => job.queue_id),
    [first],
  );
  assert.equal(pageTwo.next_cursor, null);

  await server.request('POST', '/api/v1/audio/complete', { model: 'overture-sketch', queue_id: first });
  const completed = (await server.request('GET', '/api/v1/audio/jobs?limit=1&after=' + pageOne.next_cursor)).json();
  assert.equal(completed.data[0].media_available, false, 'completed media is no longer offered');
});

test('GET /audio/jobs shows nothing of another account and refuses bad pages in the contract’s shape', async () => {
  const other = await server.app.services.accounts.create({ name: 'other', pro: false, usd: 1, diemDaily: 0 });
  const empty = await server.request('GET', '/api/v1/audio/jobs', undefined, other.inference_key);
  assert.deepEqual(empty.json(), { object: 'list', data: [], has_more: false, next_cursor: null });
  assert.equal((await server.request('GET', '/api/v1/audio/jobs', undefined, null)).statusCode, 401);
  for (const query of ['limit=0', 'limit=101', 'limit=two', 'after=not-a-cursor', 'colour=red']) {
    const response = await server.request('GET', `/api/v1/audio/jobs?${query}`);
    assert.equal(response.statusCode, 400, query);
    assert.equal(response.json().error, 'Invalid request parameters', query);
    assert.ok(Array.isArray(response.json().issues), query);
  }
});
