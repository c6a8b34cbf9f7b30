import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FsMediaStore } from '../../src/media/fs-media-store.js';
import { runMediaConformance } from './media-conformance.js';

const root = mkdtempSync(join(tmpdir(), 'overture-media-'));
after(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
runMediaConformance('filesystem', async () => new FsMediaStore(join(root, `store-${count++}`)));

describe('filesystem media, file system specifics', () => {
  test('a partial-files directory removed under a running store is made again', async () => {
    const directory = join(root, 'removed-partials');
    const media = new FsMediaStore(directory);
    const first = await media.create('first.mp3');
    await first.write(new Uint8Array([1]));
    await first.commit();
    rmSync(join(directory, '.partial'), { recursive: true, force: true });
    const second = await media.create('second.mp3');
    await second.write(new Uint8Array([1, 2, 3]));
    assert.deepEqual(await second.commit(), { bytes: 3 });
    assert.equal((await media.open('second.mp3'))?.bytes, 3);
  });

  test('sweeping partials deletes writes abandoned before the cutoff, and nothing a live writer or a commit holds', async () => {
    const directory = join(root, 'sweep');
    const media = new FsMediaStore(directory);
    assert.equal(await media.sweepPartials(Date.now()), 0, 'no partial directory yet');
    const abandoned = await media.create('crashed.mp3');
    await abandoned.write(new Uint8Array([1, 2]));
    const live = await media.create('running.mp3');
    await live.write(new Uint8Array([3]));
    const done = await media.create('done.mp3');
    await done.write(new Uint8Array([4]));
    await done.commit();
    const partials = join(directory, '.partial');
    const crashedFile = readdirSync(partials).find((name) => name.startsWith('crashed.mp3.')) as string;
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(partials, crashedFile), hourAgo, hourAgo);
    assert.equal(await media.sweepPartials(Date.now() - 600_000), 1);
    assert.deepEqual(
      readdirSync(partials).map((name) => name.split('.')[0]),
      ['running'],
    );
    await live.write(new Uint8Array([5]));
    assert.deepEqual(await live.commit(), { bytes: 2 }, 'the live writer was left alone');
    assert.equal((await media.open('done.mp3'))?.bytes, 1, 'committed media is not a partial');
  });

  test('a file that cannot be opened fails the first write, and abort still succeeds', async () => {
    const directory = join(root, 'not-a-directory');
    writeFileSync(directory, 'a file where the media directory should be');
    const media = new FsMediaStore(directory);
    const writer = await media.create('blocked.mp3');
    await assert.rejects(writer.write(new Uint8Array([1])), /ENOTDIR|EEXIST/);
    await assert.rejects(writer.commit(), /ENOTDIR|EEXIST/);
    await writer.abort();
  });
});
