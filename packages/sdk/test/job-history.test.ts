import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BadRequestError, type FetchFunction } from '../src/index.js';
import { type LiveServer, SKETCH, startLiveServer } from './live-server.js';

let server: LiveServer;
const queued: string[] = [];

before(async () => {
  server = await startLiveServer();
  // Three jobs, queued one after another: the history lists them newest first.
  for (let index = 0; index < 3; index += 1)
    queued.push((await server.client().audio.queue({ ...SKETCH, prompt: `take ${index}` })).queue_id);
});
after(() => server.close());

test('jobs() pages through the history newest first with next_cursor', async () => {
  const audio = server.client().audio;
  const first = await audio.jobs({ limit: 2 });
  assert.equal(first.object, 'list');
  assert.deepEqual(
    first.data.map((job) => job.queue_id),
    [queued[2], queued[1]],
  );
  assert.equal(first.has_more, true);
  assert.equal(first.data[0]?.prompt, 'take 2');
  assert.equal(first.data[0]?.model, SKETCH.model);
  assert.equal(typeof first.data[0]?.media_available, 'boolean');
  const second = await audio.jobs({ limit: 2, after: first.next_cursor as string });
  assert.deepEqual(
    second.data.map((job) => job.queue_id),
    [queued[0]],
  );
  assert.equal(second.has_more, false);
  assert.equal(second.next_cursor, null);
});

test('allJobs() reads every page, one request a page, and stops on break', async () => {
  const urls: string[] = [];
  const counting: FetchFunction = (input, init) => {
    urls.push(input);
    return fetch(input, init);
  };
  const audio = server.client({ fetch: counting }).audio;
  const ids: string[] = [];
  for await (const job of audio.allJobs({ limit: 1 })) ids.push(job.queue_id);
  assert.deepEqual(ids, [...queued].reverse());
  assert.equal(urls.length, 3);
  assert.match(urls[0] as string, /\/audio\/jobs\?limit=1$/);
  assert.match(urls[1] as string, /\/audio\/jobs\?limit=1&after=/);
  urls.length = 0;
  for await (const job of audio.allJobs({ limit: 2 })) {
    assert.equal(job.queue_id, queued[2]);
    break;
  }
  assert.equal(urls.length, 1, 'no page is fetched past a break');
});

test('a bad page size or cursor is a BadRequestError naming the field', async () => {
  const audio = server.client().audio;
  const tooMany = await audio.jobs({ limit: 1000 }).catch((error: unknown) => error);
  assert.ok(tooMany instanceof BadRequestError);
  assert.match(JSON.stringify(tooMany.body), /limit/);
  const forged = await audio.jobs({ after: 'not-a-cursor' }).catch((error: unknown) => error);
  assert.ok(forged instanceof BadRequestError);
  assert.match(JSON.stringify(forged.body), /after/);
});
