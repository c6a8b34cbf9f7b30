import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
