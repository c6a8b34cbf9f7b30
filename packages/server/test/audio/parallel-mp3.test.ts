import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMp3Frames } from '../../src/audio/mp3-splice.js';
import { encodeMp3InParallel, encodeMp3Sequentially, encodeTailHere } from '../../src/audio/parallel-mp3.js';
import type { PcmAudio } from '../../src/audio/pcm-audio.js';
import { decodeAudio, MemorySink } from '../support/audio-decode.js';

/** 30 s of a chord with a slow tremolo and a little deterministic noise, stereo at 44.1 kHz. */
function music(): PcmAudio {
  const sampleRate = 44100;
  const frames = 30 * sampleRate;
  let state = 7;
  const channels = [0, 1].map((channel) => {
    const data = new Float32Array(frames);
    for (let index = 0; index < frames; index++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const t = index / sampleRate;
      const tone = Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * (277.2 + channel) * t) + Math.sin(2 * Math.PI * 329.6 * t);
      data[index] = 0.2 * tone * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.5 * t)) + (state / 2 ** 32 - 0.5) * 0.02;
    }
    return data;
  });
  return { sampleRate, channels };
}

function snrDb(reference: Float32Array, decoded: Float32Array, delay: number, from: number, to: number): number {
  let signal = 0;
  let noise = 0;
  for (let index = from; index < to; index++) {
    signal += (reference[index] as number) ** 2;
    noise += ((decoded[index + delay] as number) - (reference[index] as number)) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

describe('MP3 on two threads', () => {
  it('joins the halves into one valid stream of the same length that decodes as well as a one-thread encode', async () => {
    const audio = music();
    const one = new MemorySink();
    await encodeMp3Sequentially(audio, one);
    const two = new MemorySink();
    await encodeMp3InParallel(audio, two, encodeTailHere);
    const again = new MemorySink();
    await encodeMp3InParallel(audio, again, encodeTailHere);
    assert.ok(Buffer.compare(two.bytes(), again.bytes()) === 0, 'deterministic');
    assert.notEqual(Buffer.compare(two.bytes(), one.bytes()), 0, 'joined, not the one-thread fallback');
    assert.equal(parseMp3Frames(two.bytes())?.length, parseMp3Frames(one.bytes())?.length);
    assert.ok(Math.abs(two.bytes().length - one.bytes().length) <= 64);
    const sequential = await decodeAudio(one.bytes(), 'mp3');
    const parallel = await decodeAudio(two.bytes(), 'mp3');
    assert.equal(parallel.channels[0]?.length, sequential.channels[0]?.length);
    const reference = audio.channels[0] as Float32Array;
    const middle = reference.length / 2;
    // LAME + mpg123 delay the signal by 1105 samples; compare around the join and over the whole file.
    for (const [from, to] of [
      [middle - 40 * 1152, middle + 40 * 1152],
      [2000, reference.length - 3000],
    ] as const) {
      const mine = snrDb(reference, parallel.channels[0] as Float32Array, 1105, from, to);
      const theirs = snrDb(reference, sequential.channels[0] as Float32Array, 1105, from, to);
      assert.ok(mine > theirs - 1 && mine > 15, `SNR ${mine.toFixed(1)} dB vs ${theirs.toFixed(1)} dB in [${from}, ${to})`);
    }
    // No click at the join: the worst 1,152-sample window near the middle is as clean as elsewhere.
    for (let from = middle - 30 * 1152; from < middle + 30 * 1152; from += 576) {
      const snr = snrDb(reference, parallel.channels[0] as Float32Array, 1105, from, from + 1152);
      assert.ok(snr > 10, `SNR ${snr.toFixed(1)} dB at ${from}`);
    }
  });
});
