import { writeWav } from '../../src/audio/wav-encoder.js';
import { UpstreamFailure } from '../../src/engines/remote/upstream-errors.js';
import type { EngineRequest, UpstreamEntry } from '../../src/ports/engine.js';
import { EngineRejection } from '../../src/ports/engine.js';
import type { EngineAdapter } from '../../src/ports/engine-adapter.js';

/** What an instance does with its next call: write audio, fail like a broken upstream, refuse, or wait. */
export type Step = 'ok' | 'fail' | 'busy' | 'refuse' | 'policy' | 'wait' | 'stream' | 'deaf' | 'break';

/** One call an instance received, with the journal entry it found. */
export interface ScriptedCall {
  readonly instance: string;
  readonly request: EngineRequest;
  readonly previous: UpstreamEntry | undefined;
}

/**
 * A remote-engine adapter for tests that stands for an upstream the test controls: each
 * instance takes its next step from `script[instance]` (default `ok`), records a journal entry
 * like a real remote engine (a key, then an id) and writes one second of WAV. `wait` holds the
 * call until `release()` or its signal aborts; `deaf` holds it until `release()` whatever the signal;
 * `break` sends its first bytes, then fails like an upstream that dropped.
 */
export function scriptedAdapter() {
  const script: Record<string, Step[]> = {};
  const calls: ScriptedCall[] = [];
  let waiting: (() => void)[] = [];
  const silence = { sampleRate: 8000, channels: [new Float32Array(8000)] };
  const adapter: EngineAdapter = {
    remote: true,
    defaultConcurrency: 2,
    create: (settings) => ({
      name: settings.name,
      formats: ['wav'],
      concurrency: settings.concurrency,
      async generate(request, sink, { signal, upstream }) {
        calls.push({ instance: settings.name, request, previous: upstream?.previous });
        const step = script[settings.name]?.shift() ?? 'ok';
        if (step === 'fail') throw new UpstreamFailure(`${settings.name} answered 502`);
        if (step === 'refuse') throw new EngineRejection('refused', `Upstream ${settings.name} refused Overture's request (401): bad key`);
        if (step === 'busy') throw new EngineRejection('capacity', `${settings.name} is at capacity`);
        if (step === 'policy') throw new EngineRejection('content_policy', 'no', 'a gentler prompt');
        const submissionKey = upstream?.previous?.submissionKey ?? `${request.requestId}.${calls.length}`;
        if (!upstream?.previous?.requestId) {
          await upstream?.record({ submissionKey, requestId: null });
          await upstream?.record({ submissionKey, requestId: `upstream-${calls.length}` });
        }
        // `stream` sends its first bytes, then holds the rest like `wait`.
        if (step === 'stream' || step === 'break') await sink.write(new Uint8Array(64).fill(1));
        if (step === 'break') throw new UpstreamFailure(`${settings.name} dropped the connection`);
        if (step === 'deaf') await new Promise<void>((resolve) => waiting.push(resolve));
        if (step === 'wait' || step === 'stream')
          await new Promise<void>((resolve, reject) => {
            if (signal.aborted) return reject(signal.reason);
            waiting.push(resolve);
            signal.addEventListener(
              'abort',
              () => {
                waiting = waiting.filter((waiter) => waiter !== resolve);
                reject(signal.reason);
              },
              { once: true },
            );
          });
        await writeWav(silence, sink);
        return { durationSeconds: 1 };
      },
    }),
  };
  return {
    adapter,
    script,
    calls,
    waitingCount: () => waiting.length,
    release() {
      const all = waiting;
      waiting = [];
      for (const resolve of all) resolve();
    },
  };
}
