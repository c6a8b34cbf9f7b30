import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createBuiltinEngine } from '../../../src/engines/builtin-engines.js';
import { threadedEngine } from '../../../src/engines/thread/engine-thread.js';
import { type ByteSink, type Engine, EngineRejection, type EngineRequest } from '../../../src/ports/engine.js';
import { musicRequest } from '../../support/engine-harness.js';

const request = (overrides: Partial<EngineRequest>): EngineRequest =>
  musicRequest({ modelId: 'test', requestId: 'test', seed: 42, prompt: 'a calm piano piece', durationSeconds: 5, ...overrides });

/** Run a generation into memory; the bytes, the progress seen and the result. */
async function generate(engine: Engine, asked: EngineRequest, signal = new AbortController().signal) {
  const chunks: Uint8Array[] = [];
  const progress: number[] = [];
  const sink: ByteSink = { write: async (chunk) => void chunks.push(chunk) };
  const result = await engine.generate(asked, sink, { signal, onProgress: (fraction) => progress.push(fraction) });
  return { bytes: Buffer.concat(chunks), progress, result };
}

const threaded = new Map<string, Engine>();
const onThread = (name: string) => {
  let engine = threaded.get(name);
  if (!engine) threaded.set(name, (engine = threadedEngine(createBuiltinEngine(name, false))));
  return engine;
};
after(() => Promise.all([...threaded.values()].map((engine) => engine.close?.())));

const cases = [
  { label: 'tone', name: 'tone', asked: request({ format: 'wav' }) },
  { label: 'music', name: 'music', asked: request({}) },
  // Sung notes are rendered in child processes, started here from the engine's thread.
  { label: 'a song with lyrics', name: 'music', asked: request({ lyrics: 'hello my friend\nwe sing along', durationSeconds: 8 }) },
];
for (const { label, name, asked } of cases) {
  test(`${label} on its thread: the same bytes as in this thread, with progress and the same result`, async () => {
    const here = await generate(createBuiltinEngine(name, true), asked);
    const there = await generate(onThread(name), asked);
    assert.ok(there.bytes.length > 1000);
    assert.ok(there.bytes.equals(here.bytes), 'identical bytes');
    assert.deepEqual(there.result, here.result);
    assert.ok(there.progress.length > 0 && there.progress.every((fraction) => fraction >= 0 && fraction <= 1));
  });
}

test('an EngineRejection from the thread arrives as one, with its kind', async () => {
  await assert.rejects(generate(onThread('speech'), request({ prompt: '... --- ...', format: 'wav' })), (error: unknown) => {
    assert.ok(error instanceof EngineRejection);
    assert.equal(error.kind, 'invalid_input');
    assert.match(error.message, /speakable/);
    return true;
  });
});

test("an EngineRejection's reason crosses the thread too", async () => {
  await assert.rejects(generate(onThread('speech'), request({ prompt: '👋🎉', format: 'wav' })), (error: unknown) => {
    assert.ok(error instanceof EngineRejection);
    assert.equal(error.reason, 'no_speakable_text');
    return true;
  });
});

test('aborting stops the generation on its thread; the thread then serves the next one', async () => {
  const controller = new AbortController();
  const engine = onThread('music');
  const sink: ByteSink = { write: async () => undefined };
  const running = engine.generate(request({ durationSeconds: 120 }), sink, {
    signal: controller.signal,
    onProgress: (fraction) => {
      if (fraction > 0.06) controller.abort();
    },
  });
  await assert.rejects(running, (error: unknown) => (error as Error).name === 'AbortError');
  const next = await generate(engine, request({ durationSeconds: 5 }));
  assert.ok(next.bytes.length > 1000);
});

test('a sink that refuses a chunk, by rejecting or by throwing, fails the generation with its error', async () => {
  const rejecting: ByteSink = {
    write: async () => {
      throw new Error('disk full');
    },
  };
  const throwing: ByteSink = {
    write: () => {
      throw new Error('socket gone');
    },
  };
  const options = () => ({ signal: new AbortController().signal, onProgress: () => undefined });
  await assert.rejects(onThread('tone').generate(request({ format: 'wav' }), rejecting, options()), /disk full/);
  await assert.rejects(onThread('tone').generate(request({ format: 'wav' }), throwing, options()), /socket gone/);
});

test('an aborted signal is refused before anything starts', async () => {
  const controller = new AbortController();
  controller.abort();
  const sink: ByteSink = { write: async () => assert.fail('nothing may be written') };
  await assert.rejects(onThread('tone').generate(request({}), sink, { signal: controller.signal, onProgress: () => undefined }), {
    name: 'AbortError',
  });
});
