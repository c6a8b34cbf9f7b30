import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { FilePumpStream } from '../../src/media/file-pump.js';

const directory = mkdtempSync(join(tmpdir(), 'overture-pump-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const content = randomBytes(3 * 256 * 1024 + 12_345);
const path = join(directory, 'media.bin');
writeFileSync(path, content);

const openPump = async () => new FilePumpStream(await open(path, 'r'), content.length);

/** A writable that, like a socket, reads each chunk only later, then reports it written. */
function slowSink(limit = Number.POSITIVE_INFINITY) {
  const received: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      buffers.add(chunk.buffer);
      // Long enough that a buffer read into again before its write completed would be seen.
      setTimeout(() => {
        received.push(Buffer.from(chunk));
        if (received.length >= limit) sink.destroy();
        done();
      }, 5);
    },
  });
  return { sink, received, buffers };
}

test('pumpTo copies the whole file through two reused buffers, each reused only once written', async () => {
  const pump = await openPump();
  const closed = new Promise((resolve) => pump.once('close', resolve));
  const { sink, received, buffers } = slowSink();
  await pump.pumpTo(sink);
  assert.ok(Buffer.concat(received).equals(content), 'every byte, in order, none overwritten before it was written');
  assert.ok(buffers.size <= 2, `${buffers.size} buffers used`);
  await closed;
});

test('read as a plain stream it gives the same bytes and closes the file', async () => {
  const pump = await openPump();
  const chunks: Buffer[] = [];
  for await (const chunk of pump) chunks.push(chunk as Buffer);
  assert.ok(Buffer.concat(chunks).equals(content));
  assert.equal(pump.destroyed, true);
});

test('a destination that goes away fails the pump and closes the file', async () => {
  const pump = await openPump();
  const closed = new Promise((resolve) => pump.once('close', resolve));
  const { sink } = slowSink(1);
  await assert.rejects(pump.pumpTo(sink));
  await closed;
});
