import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureIntegratedLoudness, measureTruePeakDb } from '../../../src/audio/loudness.js';
import { composeForRequest } from '../../../src/engines/music/music-engine.js';
import { renderLongToSink } from '../../../src/engines/music/master/long-render.js';
import { limitInPlace, StreamingLimiter } from '../../../src/engines/music/master/peak-limiter.js';
import { decodeAudio, MemorySink } from '../../support/audio-decode.js';

async function render(prompt: string, loop: boolean): Promise<Uint8Array> {
  const score = composeForRequest({ prompt, durationSeconds: 16, seed: 11, loop });
  const frames = 16 * 44100;
  const sink = new MemorySink();
  await renderLongToSink(score, sink, {
    sampleRate: 44100,
    frames,
    renderFrames: loop ? frames + 3 * 44100 : frames,
    format: 'flac',
    targets: { targetLufs: -14, truePeakDb: -1 },
    onProgress: () => {},
  });
  return sink.bytes();
}

describe('two-pass rendering of long pieces', () => {
  for (const [prompt, loop] of [
    ['energetic rock with drums', false],
    ['chill lofi beat', true],
  ] as const) {
    it(`streams the exact length at -14 LUFS under -1 dBTP, deterministically (${prompt})`, async () => {
      const bytes = await render(prompt, loop);
      assert.ok(Buffer.compare(bytes, await render(prompt, loop)) === 0);
      // STREAMINFO's total sample count (36 bits from bit 172) is the exact length; the test decoder
      // drops a last FLAC frame that is pure silence, as a faded-out ending is, so allow one frame.
      const totalSamples = Number(BigInt.asUintN(36, BigInt(`0x${Buffer.from(bytes.subarray(21, 26)).toString('hex')}`)));
      assert.equal(totalSamples, 16 * 44100);
      const audio = await decodeAudio(bytes, 'flac');
      assert.ok(16 * 44100 - (audio.channels[0]?.length ?? 0) < 4096, `decoded ${audio.channels[0]?.length}`);
      const loudness = measureIntegratedLoudness(audio);
      assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
      assert.ok(measureTruePeakDb(audio) <= -1, `true peak ${measureTruePeakDb(audio)}`);
    });
  }

  it('streams WAV with the exact sizes in its header (the length is known in advance)', async () => {
    const score = composeForRequest({ prompt: 'warm ambient pads', durationSeconds: 12, seed: 5, loop: false });
    const frames = 12 * 44100;
    const sink = new MemorySink();
    await renderLongToSink(score, sink, {
      sampleRate: 44100,
      frames,
      renderFrames: frames,
      format: 'wav',
      targets: { targetLufs: -14, truePeakDb: -1 },
      onProgress: () => {},
    });
    const bytes = sink.bytes();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    assert.equal(view.getUint32(40, true), frames * 4, 'data size');
    assert.equal(view.getUint32(4, true), 36 + frames * 4, 'RIFF size');
    assert.equal(bytes.length, 44 + frames * 4, 'exactly as many samples as announced');
  });

  it('holds the true peak the meter measures, also where the samples miss the peaks by 3 dB', () => {
    // A quarter-rate tone at 45°: every sample is at 0.707 of the waveform's peak.
    const frames = 44100;
    const tone = Float32Array.from({ length: frames }, (_, index) => 0.5 * Math.sin((Math.PI / 2) * index + Math.PI / 4));
    const channels = [tone, tone.slice()];
    limitInPlace(channels, 44100, 2, 0.8);
    const truePeak = measureTruePeakDb({ sampleRate: 44100, channels });
    assert.ok(
      truePeak <= 20 * Math.log10(0.8) + 0.05,
      `true peak ${truePeak.toFixed(2)} dBTP over the ${(20 * Math.log10(0.8)).toFixed(2)} ceiling`,
    );
    assert.ok(truePeak >= 20 * Math.log10(0.8) - 0.5, `true peak ${truePeak.toFixed(2)} dBTP: limited far more than needed`);
  });

  it('limits a stream exactly as the in-place limiter limits the whole buffer', () => {
    const frames = 200_000;
    const channels = [0, 1].map((channel) =>
      Float32Array.from({ length: frames }, (_, index) => 2.5 * Math.sin(index / (40 + channel)) * Math.sin(index / 9000) ** 2),
    );
    const whole = channels.map((data) => data.slice());
    limitInPlace(whole, 44100, 1.5, 0.8);
    const limiter = new StreamingLimiter(44100, 2, 1.5, 0.8);
    const pieces: Float32Array[][] = [];
    for (let start = 0, size = 1000; start < frames; start += size, size = ((size * 7) % 90_001) + 1) {
      pieces.push(limiter.push(channels.map((data) => data.slice(start, start + size))));
    }
    pieces.push(limiter.flush());
    for (const channel of [0, 1]) {
      const streamed = Float32Array.from(pieces.flatMap((piece) => [...(piece[channel] as Float32Array)]));
      assert.deepEqual(streamed, whole[channel]);
    }
  });
});
