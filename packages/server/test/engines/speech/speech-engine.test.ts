import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineRejection, type AudioFormat, type EngineRequest } from '../../../src/ports/engine.js';
import { createSpeechEngine } from '../../../src/engines/speech/speech-engine.js';
import { decodeAudio, MemorySink } from '../../support/audio-decode.js';
import { musicRequest } from '../../support/engine-harness.js';

const engine = createSpeechEngine();

/** A `tts` request to speak `prompt` as WAV, seed 1; `overrides` replace any field. */
const request = (prompt: string, overrides: Partial<EngineRequest> = {}): EngineRequest =>
  musicRequest({
    modelId: 'tts-kokoro',
    modelType: 'tts',
    requestId: 'test',
    prompt,
    durationSeconds: undefined,
    format: 'wav',
    seed: 1,
    ...overrides,
  });

async function run(prompt: string, overrides: Partial<EngineRequest> = {}, signal = new AbortController().signal) {
  const sink = new MemorySink();
  const progress: number[] = [];
  const result = await engine.generate(request(prompt, overrides), sink, {
    signal,
    onProgress: (fraction, stage) => {
      assert.equal(stage, 'speak');
      progress.push(fraction);
    },
  });
  return { sink, progress, result };
}

const TEXT = 'Good morning. The meeting starts at 10:30 on Nov 24.\n\nPlease bring $4.50 for coffee. Thank you!';

describe('speech engine', () => {
  it('is named speech and lists the encodable formats', () => {
    assert.equal(engine.name, 'speech');
    assert.ok(engine.formats.includes('mp3') && engine.formats.includes('wav'));
  });

  it('streams sentence by sentence into a valid WAV with progress up to 1', async () => {
    const { sink, progress, result } = await run(TEXT, { voice: 'af_sky' });
    assert.ok(sink.chunks.length >= 4, `${sink.chunks.length} writes`);
    assert.equal(progress.length, 4);
    assert.deepEqual(
      [...progress].sort((a, b) => a - b),
      progress,
    );
    assert.equal(progress.at(-1), 1);
    const audio = await decodeAudio(sink.bytes(), 'wav');
    const seconds = (audio.channels[0] as Float32Array).length / audio.sampleRate;
    assert.ok(Math.abs(seconds - result.durationSeconds) < 0.01, `${seconds} vs ${result.durationSeconds}`);
    assert.ok(result.durationSeconds > 4 && result.durationSeconds < 15, `${result.durationSeconds}`);
  });

  for (const format of ['mp3', 'flac', 'opus', 'pcm'] as AudioFormat[]) {
    it(`encodes ${format}`, async () => {
      const { sink, result } = await run('A short test of this format.', { format });
      const audio = await decodeAudio(sink.bytes(), format);
      const seconds = (audio.channels[0] as Float32Array).length / audio.sampleRate;
      assert.ok(Math.abs(seconds - result.durationSeconds) < 0.15, `${format}: ${seconds} vs ${result.durationSeconds}`);
    });
  }

  it('gives the same bytes for the same request', async () => {
    const first = await run(TEXT, { format: 'mp3', voice: 'Rachel', speed: 1.3 });
    const second = await run(TEXT, { format: 'mp3', voice: 'Rachel', speed: 1.3 });
    assert.deepEqual(second.sink.bytes(), first.sink.bytes());
  });

  it('scales length with speed', async () => {
    const normal = await run(TEXT);
    const fast = await run(TEXT, { speed: 2 });
    const ratio = fast.result.durationSeconds / normal.result.durationSeconds;
    assert.ok(ratio > 0.4 && ratio < 0.6, `ratio ${ratio}`);
  });

  it('rejects input without speakable text', async () => {
    for (const prompt of ['!!! ...', '👋🎉', '   ']) {
      await assert.rejects(run(prompt), (error: unknown) => error instanceof EngineRejection && error.kind === 'invalid_input');
    }
  });

  it('gives the reason no_speakable_text when the text has nothing to say', async () => {
    await assert.rejects(run('!!! ...'), (error: unknown) => error instanceof EngineRejection && error.reason === 'no_speakable_text');
  });

  it('stops with an AbortError between sentences', async () => {
    const controller = new AbortController();
    const sink = new MemorySink();
    const long = Array.from({ length: 30 }, (_, index) => `This is sentence number ${index + 1}.`).join(' ');
    const pending = engine.generate(request(long), sink, {
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction > 0.1) controller.abort();
      },
    });
    await assert.rejects(pending, (error: unknown) => error instanceof Error && error.name === 'AbortError');
  });
});
