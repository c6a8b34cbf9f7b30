import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Reaper } from '../../src/jobs/reaper.js';
import { FsMediaStore } from '../../src/media/fs-media-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const directory = mkdtempSync(join(tmpdir(), 'overture-abandoned-'));
after(() => rmSync(directory, { recursive: true, force: true }));

test('the reaper deletes partial media a crash abandoned, once a minute at most', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
  const media = new FsMediaStore(join(directory, 'media'));
  let clock = Date.now();
  const abandonedPartialMs = 31 * 60_000;
  const reaper = new Reaper(
    store,
    media,
    () => clock,
    { orphanHoldMs: 600_000, expiringNoticeMs: 3_600_000, abandonedPartialMs },
    { error: () => undefined },
  );
  const partials = join(directory, 'media', '.partial');
  /** A partial write last touched `ageMs` before the clock, as a crash leaves it. */
  const leftBehind = async (key: string, ageMs: number) => {
    const writer = await media.create(key);
    await writer.write(new Uint8Array([1]));
    const name = readdirSync(partials).find((file) => file.startsWith(`${key}.`)) as string;
    const touched = new Date(clock - ageMs);
    utimesSync(join(partials, name), touched, touched);
  };
  await leftBehind('old.mp3', abandonedPartialMs + 1000);
  await leftBehind('recent.mp3', 60_000);
  await reaper.runOnce();
  assert.deepEqual(
    readdirSync(partials).map((name) => name.split('.')[0]),
    ['recent'],
  );

  await leftBehind('later.mp3', abandonedPartialMs + 1000);
  clock += 30_000;
  await reaper.runOnce();
  assert.equal(readdirSync(partials).length, 2, 'within the minute the reaper does not look again');
  clock += 31_000;
  await reaper.runOnce();
  assert.deepEqual(
    readdirSync(partials).map((name) => name.split('.')[0]),
    ['recent'],
  );
  await reaper.stop();
  await store.close();
});
