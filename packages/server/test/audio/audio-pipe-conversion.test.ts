import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudioPipe } from '../../src/audio/audio-pipe.js';
import { wavHeader } from '../../src/audio/wav-encoder.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { decodeAudio, rms, zeroCrossingFrequency } from '../support/audio-decode.js';
import { encode, runPipe, secondsOf, tone, wavOf } from './audio-pipe-fixtures.js';

const STEREO = tone(44100, 1, [440, 660]);

/** Decode `output` and check its rate, channel count, length and pitch. */
async function assertTone(output: Uint8Array, format: AudioFormat, expected: { sampleRate: number; channels: number; seconds: number }) {
  const decoded = await decodeAudio(output, format);
  assert.equal(decoded.sampleRate, expected.sampleRate);
  assert.equal(decoded.channels.length, expected.channels);
  const tolerance = format === 'mp3' ? 0.08 : 0.03;
  assert.ok(Math.abs(secondsOf(decoded) - expected.seconds) <= tolerance, `${format} lasts ${secondsOf(decoded)}`);
  const left = decoded.channels[0] as Float32Array;
  const middle = left.subarray(Math.floor(left.length * 0.25), Math.floor(left.length * 0.75));
  assert.ok(
    Math.abs(zeroCrossingFrequency(middle, decoded.sampleRate) - 440) < 3,
    `pitch ${zeroCrossingFrequency(middle, decoded.sampleRate)}`,
  );
  assert.ok(Math.abs(rms(middle) - 0.5 / Math.SQRT2) < 0.04, `level ${rms(middle)}`);
}

describe('audio pipe: converting', () => {
  const cases: [AudioFormat, AudioFormat, number, { sampleRate: number; channels: number }][] = [
    ['mp3', 'wav', 1, { sampleRate: 44100, channels: 2 }],
    ['wav', 'mp3', 4096, { sampleRate: 44100, channels: 2 }],
    ['flac', 'mp3', 7, { sampleRate: 44100, channels: 2 }],
    ['opus', 'wav', 1, { sampleRate: 48000, channels: 2 }],
    ['wav', 'opus', 7, { sampleRate: 48000, channels: 2 }],
    ['mp3', 'flac', 65536, { sampleRate: 44100, channels: 2 }],
  ];
  for (const [source, target, chunkSize, expected] of cases) {
    it(`${source} → ${target} in ${chunkSize}-byte chunks`, async () => {
      const input = await encode(STEREO, source);
      const run = await runPipe(input, { target }, chunkSize);
      assert.equal(run.bytesWritten, run.output.length);
      const seconds = secondsOf(await decodeAudio(input, source));
      assert.ok(Math.abs(run.durationSeconds - seconds) < 0.001, `measured ${run.durationSeconds}, input decodes to ${seconds}`);
      await assertTone(run.output, target, { ...expected, seconds: run.durationSeconds });
    });
  }

  it('wav 44.1 kHz → wav 24 kHz via sampleRate (and mp3 → mp3 at 24 kHz)', async () => {
    const run = await runPipe(await encode(STEREO, 'wav'), { target: 'wav', sampleRate: 24000 }, 7);
    assert.equal(run.durationSeconds, 1);
    await assertTone(run.output, 'wav', { sampleRate: 24000, channels: 2, seconds: 1 });
    const mp3 = await runPipe(await encode(STEREO, 'mp3'), { target: 'mp3', sampleRate: 24000 });
    await assertTone(mp3.output, 'mp3', { sampleRate: 24000, channels: 2, seconds: mp3.durationSeconds });
  });

  it('keeps mono MP3 mono, and reads 24-bit, 32-bit and float WAV', async () => {
    const mono = tone(24000, 1);
    const fromMp3 = await runPipe(await encode(mono, 'mp3'), { target: 'wav' });
    await assertTone(fromMp3.output, 'wav', { sampleRate: 24000, channels: 1, seconds: fromMp3.durationSeconds });
    for (const [bits, float] of [
      [24, false],
      [32, false],
      [32, true],
    ] as const) {
      const run = await runPipe(wavOf(STEREO, bits, float), { target: 'flac' }, 1001);
      assert.equal(run.durationSeconds, 1);
      const decoded = await decodeAudio(run.output, 'flac');
      for (const index of [0, 1234, 30000]) {
        assert.ok(Math.abs((decoded.channels[1]?.[index] ?? 0) - (STEREO.channels[1]?.[index] ?? 0)) < 1e-3, `${bits}-bit ${float}`);
      }
    }
  });

  it('converts raw pcm at another rate to the 24 kHz pcm format and to mp3', async () => {
    const input = await encode(tone(24000, 1), 'pcm');
    const asSixteen = await runPipe(input, { target: 'mp3', source: 'pcm', pcmSampleRate: 16000 });
    assert.equal(asSixteen.durationSeconds, 1.5);
    const decoded = await decodeAudio(asSixteen.output, 'mp3');
    assert.equal(decoded.sampleRate, 16000);
    assert.ok(Math.abs(secondsOf(decoded) - 1.5) < 0.1, `${secondsOf(decoded)} s`);
    const middle = (decoded.channels[0] as Float32Array).subarray(8000, 16000);
    // 440 Hz recorded at 24 kHz and read as 16 kHz is a 293 Hz tone.
    assert.ok(Math.abs(zeroCrossingFrequency(middle, 16000) - (440 * 16000) / 24000) < 3);
    const resampled = await runPipe(input, { target: 'pcm', source: 'pcm', pcmSampleRate: 48000 });
    assert.equal(resampled.durationSeconds, 0.5);
    assert.ok(Math.abs(resampled.output.length - 24000) <= 4, `${resampled.output.length} bytes`);
  });

  it('streams 10 minutes of 24 kHz WAV to mp3 in 64 KiB chunks with bounded memory', async () => {
    const sampleRate = 24000;
    const frames = sampleRate * 600;
    let written = 0;
    const pipe = createAudioPipe({ target: 'mp3', sink: { write: async (chunk) => void (written += chunk.length) } });
    const before = process.memoryUsage().rss;
    let peak = before;
    await pipe.write(wavHeader(sampleRate, 1, frames));
    const chunkFrames = 32768;
    for (let start = 0; start < frames; start += chunkFrames) {
      const samples = new Int16Array(Math.min(chunkFrames, frames - start));
      for (let i = 0; i < samples.length; i++) samples[i] = Math.round(16000 * Math.sin((2 * Math.PI * 440 * (start + i)) / sampleRate));
      await pipe.write(new Uint8Array(samples.buffer));
      if ((start / chunkFrames) % 20 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const result = await pipe.end();
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.equal(result.durationSeconds, 600);
    assert.equal(result.bytesWritten, written);
    assert.ok(Math.abs(written - 600 * 8000) < 600 * 8000 * 0.02, `${written} bytes of 64 kbps mp3`);
    assert.ok(peak - before < 64 * 1024 * 1024, `rss grew by ${Math.round((peak - before) / 1048576)} MiB`);
  });
});
