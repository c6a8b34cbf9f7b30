import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitTruePeak } from '../../src/audio/master-audio.js';
import { createStreamingEncoder } from '../../src/audio/streaming-encoder.js';
import { measureTruePeakDb } from '../../src/audio/true-peak.js';
import { BufferSink } from '../../src/audio/verified-encode.js';
import { createVerifiedStreamingEncoder } from '../../src/audio/verified-stream.js';
import { decodeAudio } from '../support/audio-decode.js';

const RATE = 22050;

/** Sentence-like pieces: a burst of loud noise (a hard case for codecs), then a pause. */
function pieces(count: number): { sampleRate: number; channels: Float32Array[] }[] {
  let state = 7;
  return Array.from({ length: count }, (_, index) => {
    const data = new Float32Array(RATE * (0.5 + 0.1 * index));
    const burst = Math.round(data.length * 0.7);
    for (let n = 0; n < burst; n++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      data[n] = (state / 2 ** 32 - 0.5) * 2.2;
    }
    return { sampleRate: RATE, channels: [data] };
  });
}

describe('createVerifiedStreamingEncoder', () => {
  for (const format of ['mp3', 'opus', 'wav', 'pcm'] as const) {
    it(`keeps a ${format} stream of loud pieces at or under −1.0 dBTP, whole and in order`, async () => {
      const input = pieces(4);
      const sink = new BufferSink();
      const encoder = createVerifiedStreamingEncoder(format, RATE, 1, sink);
      for (const piece of input) await encoder.write(piece);
      await encoder.end();
      if (format === 'mp3' || format === 'opus') {
        // Without the check this codec overshoots here (64 kb/s MP3 by about 3 dB), so retries were needed.
        const plain = new BufferSink();
        const direct = createStreamingEncoder(format, RATE, 1, plain);
        for (const piece of input) await direct.write(limitTruePeak(piece, -1.6));
        await direct.end();
        assert.ok(measureTruePeakDb(await decodeAudio(plain.bytes(), format)) > -1);
      }
      const decoded = await decodeAudio(sink.bytes(), format);
      assert.ok(measureTruePeakDb(decoded) <= -1, `${measureTruePeakDb(decoded).toFixed(2)} dBTP`);
      const seconds = input.reduce((sum, piece) => sum + (piece.channels[0]?.length ?? 0) / RATE, 0);
      const decodedSeconds = (decoded.channels[0]?.length ?? 0) / decoded.sampleRate;
      assert.ok(Math.abs(decodedSeconds - seconds) < 0.15, `${decodedSeconds} s decoded of ${seconds} s`);
    });
  }

  it('writes nothing of a piece until the piece after it (or the end) has been checked', async () => {
    const sink = new BufferSink();
    const encoder = createVerifiedStreamingEncoder('wav', RATE, 1, sink);
    const [first, second] = pieces(2);
    await encoder.write(first as never);
    assert.equal(sink.bytes().length, 0, 'nothing is served before it is checked');
    await encoder.write(second as never);
    assert.ok(sink.bytes().length > 44, 'the first piece is served once the second was checked');
    await encoder.end();
  });

  it('serves the bytes it checked: the same stream as a plain encoder fed the limited pieces', async () => {
    // Quiet pieces need no limiting, so the verified stream must equal the plain encoder's bytes.
    const quiet = pieces(3).map((piece) => ({ sampleRate: RATE, channels: piece.channels.map((data) => data.map((v) => v * 0.3)) }));
    const verified = new BufferSink();
    const plain = new BufferSink();
    const checked = createVerifiedStreamingEncoder('mp3', RATE, 1, verified);
    const direct = createStreamingEncoder('mp3', RATE, 1, plain);
    for (const piece of quiet) {
      await checked.write(piece);
      await direct.write(piece);
    }
    await checked.end();
    await direct.end();
    assert.deepEqual(verified.bytes(), plain.bytes());
  });
});
