import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { MediaStore } from '../../src/ports/media-store.js';

/** Read a whole object back, or undefined when it does not exist. */
export async function readMedia(media: MediaStore, key: string): Promise<Buffer | undefined> {
  const object = await media.open(key);
  if (!object) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of object.stream) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  assert.equal(bytes.length, object.bytes, 'the announced size is the streamed size');
  return bytes;
}

async function put(media: MediaStore, key: string, bytes: Uint8Array, chunkSize = 64 * 1024 + 7) {
  const writer = await media.create(key);
  for (let offset = 0; offset < bytes.length; offset += chunkSize) await writer.write(bytes.subarray(offset, offset + chunkSize));
  return writer.commit();
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const key = () => `job-${randomUUID()}.mp3`;

/**
 * The shared conformance suite of the MediaStore port: every adapter must pass it. `open` gives
 * a store over an empty place (a new directory, a new bucket or prefix) each time it is called.
 */
export function runMediaConformance(name: string, open: () => Promise<MediaStore>) {
  describe(`Media conformance: ${name}`, () => {
    test('an object is invisible until commit, then streams back whole', async () => {
      const media = await open();
      const id = key();
      const writer = await media.create(id);
      await writer.write(Buffer.from('hello '));
      await writer.write(Buffer.from('world'));
      assert.equal(await media.open(id), undefined, 'not visible before commit');
      assert.deepEqual(await writer.commit(), { bytes: 11 });
      assert.equal((await readMedia(media, id))?.toString(), 'hello world');
    });

    test('abort leaves nothing behind, and a missing key opens as undefined', async () => {
      const media = await open();
      const id = key();
      const writer = await media.create(id);
      await writer.write(randomBytes(300_000));
      await writer.abort();
      await writer.abort();
      assert.equal(await media.open(id), undefined);
      assert.equal(await media.open(key()), undefined);
    });

    test('delete is idempotent; a new commit replaces an earlier object', async () => {
      const media = await open();
      const id = key();
      await media.delete(id);
      await put(media, id, Buffer.from('first'));
      await put(media, id, Buffer.from('second!'));
      assert.equal((await readMedia(media, id))?.toString(), 'second!');
      await media.delete(id);
      await media.delete(id);
      assert.equal(await media.open(id), undefined);
    });

    test('keys outside [A-Za-z0-9._-] or with path tricks are refused', async () => {
      const media = await open();
      for (const bad of ['../x', '..', 'a/b', '/etc/passwd', '', '.hidden', 'a\\b', 'x..y', 'é', 'a b', `${'a'.repeat(250)}`]) {
        await assert.rejects(media.create(bad), /Invalid media key/, `create ${JSON.stringify(bad)}`);
        await assert.rejects(media.open(bad), /Invalid media key/, `open ${JSON.stringify(bad)}`);
        await assert.rejects(media.delete(bad), /Invalid media key/, `delete ${JSON.stringify(bad)}`);
      }
    });

    test('a multi-megabyte object round-trips byte-exact; parallel writers do not mix', async () => {
      const media = await open();
      const big = randomBytes(13 * 1024 * 1024 + 123);
      const small = randomBytes(70_000);
      const [bigKey, smallKey] = [key(), key()];
      const [bigCommit, smallCommit] = await Promise.all([put(media, bigKey, big), put(media, smallKey, small, 1000)]);
      assert.equal(bigCommit.bytes, big.length);
      assert.equal(smallCommit.bytes, small.length);
      assert.equal(sha((await readMedia(media, bigKey)) ?? Buffer.alloc(0)), sha(big));
      assert.equal(sha((await readMedia(media, smallKey)) ?? Buffer.alloc(0)), sha(small));
    });
  });
}
