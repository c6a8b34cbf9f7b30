import { writeWav } from '../../src/audio/wav-encoder.js';
import { type Engine, EngineRejection } from '../../src/ports/engine.js';

/**
 * Engines standing in for an operator's own backend (a GPU model behind the engine port):
 * `gate` waits until released or aborted, `broken` fails, `refusing` rejects the prompt,
 * `stuck` never answers and ignores its abort signal.
 */
export function testEngines() {
  const waiting: (() => void)[] = [];
  let failures = 0;
  const silence = { sampleRate: 8000, channels: [new Float32Array(8000)] };
  const gate: Engine = {
    name: 'gate',
    formats: ['wav'],
    concurrency: 4,
    async generate(_request, sink, { signal }) {
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        waiting.push(resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      await writeWav(silence, sink);
      return { durationSeconds: 1 };
    },
  };
  const broken: Engine = {
    name: 'broken',
    formats: ['wav'],
    concurrency: 1,
    async generate() {
      failures++;
      throw new Error('GPU fell over');
    },
  };
  const refusing: Engine = {
    name: 'refusing',
    formats: ['wav'],
    concurrency: 1,
    async generate() {
      throw new EngineRejection('content_policy', 'no', 'a gentle song');
    },
  };
  const stuck: Engine = {
    name: 'stuck',
    formats: ['wav'],
    concurrency: 2,
    generate: () => new Promise(() => undefined),
  };
  return {
    engines: [gate, broken, refusing, stuck],
    release: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
    waitingCount: () => waiting.length,
    failures: () => failures,
  };
}
