import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { JobHistoryEntry } from '@overture/sdk';
import { jobRow } from '../../src/cli/jobs-command.js';
import { buildIfStale, type CliServer, startCliServer } from './cli-harness.js';

let server: CliServer;
const queued: string[] = [];

before(async () => {
  buildIfStale();
  server = await startCliServer();
  for (const prompt of ['first take', 'second take', 'third take']) {
    const answer = await server.test.request('POST', '/api/v1/audio/queue', { model: 'overture-sketch', prompt, duration_seconds: 1 });
    queued.push(answer.json().queue_id);
  }
});
after(() => server.close());

test('a history entry becomes a row: id, model, state, price, duration, created, media', () => {
  const entry = {
    queue_id: 'id-1',
    model: 'overture-sketch',
    state: 'done',
    price_usd: 0.0005,
    currency: 'USD',
    duration_seconds: 5,
    created_at: '2026-12-07T04:05:47.786Z',
    media_available: true,
    media_expires_at: '2026-12-08T04:05:54.130Z',
  } as JobHistoryEntry;
  assert.deepEqual(jobRow(entry), ['id-1', 'overture-sketch', 'done', '$0.0005', '5s', '2026-12-07 04:05', 'until 2026-12-08 04:05']);
  const gone = { ...entry, state: 'expired', media_available: false, media_expires_at: null, duration_seconds: null } as JobHistoryEntry;
  assert.deepEqual(jobRow(gone).slice(4), ['-', '2026-12-07 04:05', '-']);
});

test('overture jobs pages newest first and says how to go on; --all reads every page', async () => {
  const first = await server.run(['jobs', '--limit', '2']);
  assert.equal(first.code, 0, first.stderr);
  const lines = first.stdout.trim().split('\n');
  assert.match(lines[0] as string, /^QUEUE ID\s+MODEL\s+STATE\s+PRICE\s+DURATION\s+CREATED \(UTC\)\s+MEDIA$/);
  assert.ok(lines[2]?.startsWith(queued[2] as string), 'newest first');
  assert.ok(lines[3]?.startsWith(queued[1] as string));
  const cursor = /^More: overture jobs --after (\S+)$/.exec(lines[4] as string)?.[1];
  assert.ok(cursor, first.stdout);
  const rest = JSON.parse((await server.run(['jobs', '--limit', '2', '--after', cursor, '--json'])).stdout);
  assert.deepEqual(
    rest.data.map((job: { queue_id: string }) => job.queue_id),
    [queued[0]],
  );
  assert.equal(rest.has_more, false);
  const all = JSON.parse((await server.run(['jobs', '--all', '--limit', '1', '--json'])).stdout);
  assert.deepEqual(
    all.data.map((job: { queue_id: string }) => job.queue_id),
    [...queued].reverse(),
  );
  assert.equal(all.next_cursor, null);
});

test('overture jobs refuses a bad --limit before calling the server', async () => {
  const refused = await server.run(['jobs', '--limit', '0']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--limit needs a valid number/);
  assert.equal(refused.stdout, '');
});
