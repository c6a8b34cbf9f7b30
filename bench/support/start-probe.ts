import { builtinEngines } from '../../packages/server/dist/engines/builtin-engines.js';
import type { Engine } from '../../packages/server/dist/ports/engine.js';
import { LOAD } from './load.js';
import { postJson } from './overture-server.js';
import { createProbeEngine } from './probe-engine.js';
import { percentileOf } from './stats.js';

/** Times from enqueue to engine start, measured with the probe engine standing in for `tone`. */
export interface StartProbe {
  /** The built-in engines with the probe in place of `tone`: a fresh list for each app. */
  engines(): Engine[];
  /** Queue one 5 s sketch with this `prompt` at the queue `url`; answers the ms until the probe started it. */
  wait(url: string, key: string, prompt: string): Promise<number>;
  /** `LOAD.runs` runs of `jobs` jobs queued one at a time: each run's p99 and p50, in ms. */
  runs(url: string, key: string, jobs: number): Promise<{ p99s: number[]; p50s: number[] }>;
}

/** A probe for apps in this process (the probe must share the benchmark's clock). */
export function createStartProbe(): StartProbe {
  const started = new Map<string, (at: number) => void>();
  const probe = createProbeEngine((request, at) => started.get(request.prompt)?.(at));
  const wait = async (url: string, key: string, prompt: string) => {
    const reached = new Promise<number>((resolve) => started.set(prompt, resolve));
    const sent = performance.now();
    await postJson(url, key, { model: 'overture-sketch', prompt, duration_seconds: 5 });
    const waited = (await reached) - sent;
    started.delete(prompt);
    return waited;
  };
  return {
    engines: () => builtinEngines().map((engine) => (engine.name === 'tone' ? probe : engine)),
    wait,
    async runs(url, key, jobs) {
      const p99s: number[] = [];
      const p50s: number[] = [];
      for (let run = 0; run < LOAD.runs; run++) {
        const waits: number[] = [];
        for (let job = 0; job < jobs; job++) waits.push(await wait(url, key, `bench probe ${run} ${job}`));
        p99s.push(percentileOf(waits, 99));
        p50s.push(percentileOf(waits, 50));
      }
      return { p99s, p50s };
    },
  };
}
