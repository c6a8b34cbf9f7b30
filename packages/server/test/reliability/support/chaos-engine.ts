import { writeWav } from '../../../src/audio/wav-encoder.js';
import { type Engine, EngineRejection } from '../../../src/ports/engine.js';

/** What the chaos engine does on one call. */
export type EngineBehaviour = 'ok' | 'error' | 'reject' | 'capacity' | 'hang' | 'slow';

/** A deterministic choice from (seed, label, n): the same job's n-th attempt always behaves alike. */
export function decide(seed: number, label: string, n: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (const char of `${label}#${n}`) h = Math.imul(h ^ char.charCodeAt(0), 16777619) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995) >>> 0;
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
}

/**
 * An engine standing for an operator's flaky backend. Its behaviour per call is a function of
 * the seed, the prompt (each simulated job has its own) and how often that prompt was run, so
 * interleaving does not change what each attempt does. `calm()` turns every fault off (drain).
 */
export function chaosEngine(seed: number, concurrency = 2) {
  const calls = new Map<string, number>();
  let calm = false;
  const tenthOfSecond = { sampleRate: 8000, channels: [new Float32Array(800)] };
  const behaviour = (prompt: string, n: number): EngineBehaviour => {
    if (calm) return 'ok';
    const roll = decide(seed, prompt, n);
    return roll < 0.55 ? 'ok' : roll < 0.7 ? 'error' : roll < 0.75 ? 'reject' : roll < 0.8 ? 'capacity' : roll < 0.88 ? 'hang' : 'slow';
  };
  const engine: Engine = {
    name: 'chaos',
    formats: ['wav'],
    concurrency,
    async generate(request, sink, { signal }) {
      const n = (calls.get(request.prompt) ?? 0) + 1;
      calls.set(request.prompt, n);
      const kind = behaviour(request.prompt, n);
      signal.throwIfAborted();
      if (kind === 'error') throw new Error('backend fell over');
      if (kind === 'reject') throw new EngineRejection('content_policy', 'no', 'a gentler prompt');
      if (kind === 'capacity') throw new EngineRejection('capacity', 'busy');
      if (kind === 'hang' || kind === 'slow') {
        await new Promise<void>((resolve, reject) => {
          const timer = kind === 'slow' ? setTimeout(resolve, 5 + (n % 3) * 20) : undefined;
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              reject(signal.reason);
            },
            { once: true },
          );
        });
      }
      await writeWav(tenthOfSecond, sink);
      return { durationSeconds: 0.1 };
    },
  };
  return { engine, calm: () => void (calm = true), calls: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}
