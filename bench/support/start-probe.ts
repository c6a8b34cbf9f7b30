import { builtinEngines } from '../../packages/server/dist/engines/builtin-engines.js';
import type { Engine } from '../../packages/server/dist/ports/engine.js';
import { LOAD } from './load.js';
import { postJson } from './overture-server.js';
import { createProbeEngine } from './probe-engine.js';
import type { Figure } from './result.js';
import { median, percentileOf } from './stats.js';

/** Times from enqueue to engine start, measured with the probe engine standing in for `tone`. */
export interface StartProbe {
  /** The built-in engines with the probe in place of `tone`: a fresh list for each app. */
  engines(): Engine[];
  /** Queue one 5 s sketch with this `prompt` at the queue `url`; answers the ms until the probe started it. */
  wait(url: string, key: string, prompt: string): Promise<number>;
  /**
   * `LOAD.runs` runs of `jobs` jobs queued one at a time: the row's figure, the median p99 against
   * `targetMs` (every run's p99 kept), with the median p50 and the load in the note (`after` ends it).
   */
  measure(url: string, key: string, figure: StartFigure): Promise<Figure>;
}

/** What a start row's figure says. */
export interface StartFigure {
  readonly row: string;
  readonly name: string;
  readonly jobs: number;
  readonly targetMs: number;
  /** The end of the note, e.g. ` after 20 warm-up jobs`. */
  readonly after?: string;
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
    async measure(url, key, figure) {
      const p99s: number[] = [];
      const p50s: number[] = [];
      for (let run = 0; run < LOAD.runs; run++) {
        const waits: number[] = [];
        for (let job = 0; job < figure.jobs; job++) waits.push(await wait(url, key, `bench probe ${run} ${job}`));
        p99s.push(percentileOf(waits, 99));
        p50s.push(percentileOf(waits, 50));
      }
      const p99 = median(p99s);
      return {
        row: figure.row,
        name: figure.name,
        value: p99,
        unit: 'ms',
        target: `≤ ${figure.targetMs} ms`,
        met: p99 <= figure.targetMs,
        note: `p50 ${median(p50s).toFixed(2)} ms; ${figure.jobs} jobs one at a time × ${LOAD.runs} runs${figure.after ?? ''}`,
        runs: p99s,
      };
    },
  };
}
