import type { Options } from 'autocannon';
import { type ChildServer, startChild } from './child.js';
import { LOAD, type LoadSummary, measureLoad, summarize } from './load.js';
import type { Figure } from './result.js';

/** A row of the table: measures Overture and its baseline, in this run. */
export interface Row {
  /** Filter word (`npm run bench -- <id>`). */
  readonly id: string;
  run(context: BenchContext): Promise<Figure[]>;
}

/** Overture and the bare baseline measured in alternating runs (so drift hits both alike). */
export interface Paired {
  readonly overture: LoadSummary;
  readonly bare: LoadSummary;
}

/** What rows share during one bench run. */
export interface BenchContext {
  /**
   * Load Overture (`options`) and the bare `node:http` hello-world child (same method, headers,
   * body size and per-request body generator) in alternating runs: bare, Overture, bare, Overture…; medians of each.
   */
  paired(options: Omit<Options, 'duration'>, bareBody: string): Promise<Paired>;
  /** Stop what the context started. */
  close(): Promise<void>;
}

/** The shared context: the bare server child starts on first use and lives until `close`. */
export function createContext(): BenchContext {
  let bare: Promise<ChildServer> | undefined;
  return {
    async paired(options, bareBody) {
      bare ??= startChild('bench/support/bare-server.ts');
      const server = await bare;
      const overtureRuns: LoadSummary[] = [];
      const bareRuns: LoadSummary[] = [];
      for (let run = 0; run < LOAD.runs; run++) {
        // The same request stream (and so the same load-generator work per request) as Overture's.
        const requests = options.requests?.map((request) => ({ ...request, path: '/' }));
        const url = `http://127.0.0.1:${server.port}/`;
        bareRuns.push(await measureLoad({ url, method: 'POST', headers: options.headers, body: bareBody, requests }, 1));
        overtureRuns.push(await measureLoad(options, 1));
      }
      return { overture: merge(overtureRuns), bare: merge(bareRuns) };
    },
    async close() {
      if (bare) await (await bare).stop();
    },
  };
}

function merge(summaries: readonly LoadSummary[]): LoadSummary {
  return summarize(summaries.flatMap((summary) => summary.runs));
}
