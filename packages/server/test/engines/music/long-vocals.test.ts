import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { measureIntegratedLoudness, measureTruePeakDb } from '../../../src/audio/loudness.js';
import { ChunkStats } from '../../../src/engines/music/master/chunk-stats.js';
import { VoicedChunkStats } from '../../../src/engines/music/master/voiced-stats.js';
import { composeForRequest, createMusicEngine } from '../../../src/engines/music/music-engine.js';
import { LevelMeter, VOICE_ECHOES } from '../../../src/engines/music/vocals/add-vocals.js';
import { buildVocalLine } from '../../../src/engines/music/vocals/vocal-line.js';
import { singVoiceBank } from '../../../src/engines/music/vocals/voice-bank.js';
import { VoiceTrack } from '../../../src/engines/music/vocals/voice-track.js';
import { singPhrase } from '../../../src/engines/speech/sing.js';
import { decodeAudio, decodeWav, MemorySink } from '../../support/audio-decode.js';
import { callOptions, musicRequest } from './support/music-request.js';

// Pieces of 10 s and more take the two-pass streaming path here (150 s in production).
const streaming = createMusicEngine({ twoPassSeconds: 10 });
const oneBuffer = createMusicEngine();
after(async () => {
  await streaming.close?.();
  await oneBuffer.close?.();
});

const song = { prompt: 'calm pop ballad', durationSeconds: 18, seed: 8, lyrics: 'sunny morning light\nhold me in the night' };

async function render(engine: typeof streaming, overrides: Parameters<typeof musicRequest>[0]): Promise<Uint8Array> {
  const sink = new MemorySink();
  await engine.generate(musicRequest(overrides), sink, callOptions());
  return sink.bytes();
}

describe('songs with lyrics on the streaming path', () => {
  it('are exactly as long as asked, at -14 LUFS under -1 dBTP, and deterministic', async () => {
    const bytes = await render(streaming, { ...song, format: 'flac' });
    assert.equal(Buffer.compare(bytes, await render(streaming, { ...song, format: 'flac' })), 0, 'same request, same bytes');
    // STREAMINFO's total sample count (36 bits from bit 172) is the exact length.
    const totalSamples = Number(BigInt.asUintN(36, BigInt(`0x${Buffer.from(bytes.subarray(21, 26)).toString('hex')}`)));
    assert.equal(totalSamples, song.durationSeconds * 44100);
    const audio = await decodeAudio(bytes, 'flac');
    const loudness = measureIntegratedLoudness(audio);
    assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
    assert.ok(measureTruePeakDb(audio) <= -1, `true peak ${measureTruePeakDb(audio)}`);
  });

  it('loops with the voice folded like the band, at the exact length and loudness', async () => {
    const request = { prompt: 'chill lofi beat', durationSeconds: 12, seed: 5, lyricsOptimizer: true, loop: true, format: 'wav' as const };
    const audio = decodeWav(await render(streaming, request));
    assert.equal(audio.channels[0]?.length, 12 * 44100);
    const loudness = measureIntegratedLoudness(audio);
    assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
    assert.ok(measureTruePeakDb(audio) <= -1, `true peak ${measureTruePeakDb(audio)}`);
  });

  it('sing as the one-buffer mix does: the voice is clearly there, at the same level', async () => {
    const sung = decodeWav(await render(streaming, song));
    const instrumental = decodeWav(await render(streaming, { ...song, forceInstrumental: true }));
    const buffered = decodeWav(await render(oneBuffer, song));
    let voice = 0;
    let band = 0;
    let apart = 0;
    let energy = 0;
    for (const channel of [0, 1]) {
      const [streamed, plain, whole] = [sung, instrumental, buffered].map((audio) => audio.channels[channel] as Float32Array);
      for (let index = 0; index < (streamed?.length ?? 0); index++) {
        voice += ((streamed[index] as number) - (plain?.[index] as number)) ** 2;
        band += (plain?.[index] as number) ** 2;
        apart += ((streamed[index] as number) - (whole?.[index] as number)) ** 2;
        energy += (whole?.[index] as number) ** 2;
      }
    }
    assert.ok(voice / band > 0.05, `the voice changes the mix (${voice / band})`);
    // The two paths differ only where the one-buffer render splits between threads and in mastering.
    assert.ok(10 * Math.log10(energy / apart) > 15, `streamed vs one buffer: ${10 * Math.log10(energy / apart)} dB`);
  });
});

describe('voice track', () => {
  it('lays out, block by block, the voice of singing the whole line at once', async () => {
    const score = composeForRequest({ prompt: 'pop song', durationSeconds: 14, seed: 2, loop: false });
    const line = buildVocalLine(score, 'walking on the sunny side\nof the street');
    const whole = (await singPhrase(line, { sampleRate: 44100 })).channels[0] as Float32Array;
    const track = new VoiceTrack(line, await singVoiceBank(line, { sampleRate: 44100 }), 44100);
    assert.equal(track.length, whole.length);
    const bandFrames = whole.length + 30_000;
    const expected = [new Float32Array(bandFrames), new Float32Array(bandFrames)] as const;
    for (let index = 0; index < whole.length; index++) {
      expected[0][index] = whole[index] as number;
      expected[1][index] = whole[index] as number;
    }
    for (const [seconds, leftGain, rightGain] of VOICE_ECHOES) {
      const offset = Math.round(seconds * 44100);
      for (let index = 0; index < whole.length && index + offset < bandFrames; index++) {
        expected[0][index + offset] = (expected[0][index + offset] as number) + (whole[index] as number) * leftGain;
        expected[1][index + offset] = (expected[1][index + offset] as number) + (whole[index] as number) * rightGain;
      }
    }
    const got = [new Float32Array(bandFrames), new Float32Array(bandFrames)] as const;
    for (let start = 0, size = 5000; start < bandFrames; start += size, size = ((size * 7) % 40_000) + 1) {
      const count = Math.min(size, bandFrames - start);
      const [left, right] = track.contribution(start, count, bandFrames);
      got[0].set(left, start);
      got[1].set(right, start);
    }
    track.finish();
    // Notes are kept to 16 bits of their own peak: the voice and its echoes match to within that.
    let peak = 0;
    for (const value of whole) peak = Math.max(peak, Math.abs(value));
    const tolerance = (peak / 32767) * 1.5;
    for (const channel of [0, 1] as const) {
      let worst = 0;
      for (let index = 0; index < bandFrames; index++) {
        worst = Math.max(worst, Math.abs((got[channel][index] as number) - (expected[channel][index] as number)));
      }
      assert.ok(worst <= tolerance, `channel ${channel}: off by ${worst} (allowed ${tolerance})`);
    }
    // The level counts non-zero samples only, and the quietest round to zero: within 0.01 dB.
    const meter = new LevelMeter();
    meter.push(whole);
    assert.ok(
      Math.abs(track.level / meter.level - 1) < 1e-3,
      `the level the gain follows is the whole voice's (${track.level} vs ${meter.level})`,
    );
  });
});

describe('voiced loudness statistics', () => {
  it('predict the mix at any voice gain as statistics of the mixed signal do', () => {
    const frames = 44100 * 8;
    const band = [0, 1].map((channel) =>
      Float32Array.from({ length: frames }, (_, index) => 0.3 * Math.sin(index / (9 + channel)) * (1 + Math.sin(index / 20000))),
    );
    const voice = [0, 1].map((channel) =>
      Float32Array.from({ length: frames }, (_, index) => (index % 88200 < 50000 ? 0.2 * Math.sin(index / (4 + channel)) : 0)),
    );
    const voiced = new VoicedChunkStats(44100);
    for (let start = 0; start < frames; start += 32768) {
      const slice = (data: Float32Array) => data.subarray(start, start + 32768);
      voiced.push(band.map(slice), voice.map(slice), 1.7);
    }
    const ceiling = 10 ** (-1.4 / 20);
    for (const gain of [0.4, 1.5, 2, 4]) {
      const mixed = new ChunkStats(44100, 2);
      mixed.push(
        band.map((data, channel) => data.map((value, index) => value + gain * ((voice[channel] as Float32Array)[index] as number))),
      );
      const predicted = voiced.at(gain);
      const unlimited = predicted.predictLoudness(1, Number.POSITIVE_INFINITY);
      assert.ok(Math.abs(unlimited - mixed.predictLoudness(1, Number.POSITIVE_INFINITY)) < 1e-6, `energies at gain ${gain}`);
      const gainDb = (stats: ChunkStats) => 20 * Math.log10(stats.gainFor(-14, ceiling));
      assert.ok(Math.abs(gainDb(predicted) - gainDb(mixed)) < 0.15, `mastering gain at voice gain ${gain}`);
    }
  });
});
