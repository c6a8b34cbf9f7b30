import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { measureIntegratedLoudness, measureTruePeakDb } from '../../../src/audio/loudness.js';
import { createMusicEngine } from '../../../src/engines/music/music-engine.js';
import { decodeAudio, decodeWav, MemorySink } from '../../support/audio-decode.js';
import { callOptions, musicRequest } from './support/music-request.js';
import { estimateTempo } from './support/tempo-estimate.js';

const engine = createMusicEngine();
after(() => engine.close?.());

async function generate(overrides: Parameters<typeof musicRequest>[0]) {
  const sink = new MemorySink();
  const options = callOptions();
  const result = await engine.generate(musicRequest(overrides), sink, options);
  const bytes = sink.bytes();
  return {
    bytes,
    result,
    stages: options.stages,
    /** The file as PCM (WAV requests only: decoded when asked for). */
    get audio() {
      return decodeWav(bytes);
    },
  };
}

describe('music engine', () => {
  it('renders the exact length, mastered to -14 LUFS and -1 dBTP, at the asked tempo', async () => {
    const { audio, result, stages } = await generate({ prompt: 'driving techno at 128 BPM', durationSeconds: 13, seed: 4 });
    assert.equal(audio.sampleRate, 44100);
    assert.equal(audio.channels.length, 2);
    assert.equal(audio.channels[0]?.length, 13 * 44100);
    assert.equal(result.durationSeconds, 13);
    const loudness = measureIntegratedLoudness(audio);
    assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
    assert.ok(measureTruePeakDb(audio) <= -1, `true peak ${measureTruePeakDb(audio)}`);
    const tempo = estimateTempo(audio);
    assert.ok(Math.abs(tempo - 128) / 128 <= 0.02, `tempo ${tempo}`);
    assert.deepEqual(stages, ['compose', 'render', 'master', 'encode']);
  });

  it('holds true peaks under -1 dBTP on a hard-hitting trap beat (808s and hi-hats peak between samples)', async () => {
    const { audio } = await generate({ prompt: 'trap beat with 808', durationSeconds: 13, seed: 1 });
    const loudness = measureIntegratedLoudness(audio);
    assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
    assert.ok(measureTruePeakDb(audio) <= -1, `true peak ${measureTruePeakDb(audio)}`);
  });

  it('finds a different explicit tempo too', async () => {
    const { audio } = await generate({ prompt: 'deep house groove, 100 bpm', durationSeconds: 10, seed: 9 });
    const tempo = estimateTempo(audio);
    assert.ok(Math.abs(tempo - 100) / 100 <= 0.02, `tempo ${tempo}`);
  });

  it('gives the same bytes for the same request (also when split across threads) and different music otherwise', async () => {
    const request = { prompt: 'happy indie folk with acoustic guitar', durationSeconds: 14, seed: 21 };
    const first = await generate(request);
    const second = await generate(request);
    assert.ok(Buffer.compare(first.bytes, second.bytes) === 0);
    const other = await generate({ ...request, prompt: 'dark orchestral cinematic' });
    assert.equal(other.bytes.length, first.bytes.length);
    assert.notEqual(Buffer.compare(first.bytes, other.bytes), 0);
  });

  it('encodes long MP3s on two threads into one stream as long, loud and clean as the WAV of the same request', async () => {
    const request = { prompt: 'happy indie folk with acoustic guitar', durationSeconds: 24, seed: 5, format: 'mp3' as const };
    const first = await generate(request);
    const second = await generate(request);
    assert.ok(Buffer.compare(first.bytes, second.bytes) === 0, 'deterministic');
    assert.deepEqual(first.stages, ['compose', 'render', 'master', 'encode']);
    const wav = (await generate({ ...request, format: 'wav' })).audio;
    const decoded = await decodeAudio(first.bytes, 'mp3');
    const reference = wav.channels[0] as Float32Array;
    const heard = decoded.channels[0] as Float32Array;
    // LAME's delay and padding add under two frames.
    assert.ok(heard.length >= reference.length && heard.length - reference.length < 2 * 1152, `${heard.length} frames`);
    const loudness = measureIntegratedLoudness(decoded);
    assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
    // LAME + mpg123 delay the signal by 1105 samples. Half-second windows: the one at the join
    // (each thread limited and encoded its own half) is as clean as the file's typical window.
    const snrDb = (from: number) => {
      let signal = 0;
      let noise = 0;
      for (let index = from; index < from + 22050; index++) {
        signal += (reference[index] as number) ** 2;
        noise += ((heard[index + 1105] as number) - (reference[index] as number)) ** 2;
      }
      return 10 * Math.log10(signal / noise);
    };
    const windows: number[] = [];
    for (let from = 22050; from + 44100 < reference.length; from += 22050) windows.push(snrDb(from));
    const typical = [...windows].sort((a, b) => a - b)[Math.floor(windows.length / 2)] as number;
    const middle = reference.length / 2;
    for (let from = middle - 44100; from <= middle + 22050; from += 11025) {
      assert.ok(snrDb(from) >= Math.min(15, typical - 3), `SNR ${snrDb(from).toFixed(1)} dB at ${from}, typical ${typical.toFixed(1)} dB`);
    }
  });

  it('makes seamless loops of the exact length that start with sound', async () => {
    const { audio } = await generate({ prompt: 'chill lofi beat', durationSeconds: 8, loop: true, seed: 2 });
    const left = audio.channels[0] as Float32Array;
    assert.equal(left.length, 8 * 44100);
    const rms = (from: number, to: number) =>
      Math.sqrt(left.subarray(from, to).reduce((sum, value) => sum + value * value, 0) / (to - from));
    const window = 22050;
    assert.ok(rms(0, 441) > 0.003, 'the loop starts with sound, no fade-in');
    assert.ok(rms(left.length - window, left.length) > 0.01, 'no fade-out at the loop point');
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      engine.generate(musicRequest({ durationSeconds: 30 }), new MemorySink(), callOptions(controller.signal)),
      (error: Error) => error.name === 'AbortError',
    );
  });
});
