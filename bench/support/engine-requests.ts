/**
 * The engine requests the audio benchmarks send, the real-time factor of running one, and the
 * figure that sets it against a native pipeline: a benchmark names what it measures (prompt,
 * length, model) and takes the rest from here.
 */
import type { Engine, EngineRequest } from '../../packages/server/dist/ports/engine.js';
import { LOAD } from './load.js';
import type { Figure } from './result.js';
import { median } from './stats.js';

/** What every benchmark request shares: no voice, options or lyrics unless it says so; MP3 at speed 1. */
const COMMON = { requestId: 'bench', options: {}, lyricsOptimizer: false, loop: false, speed: 1, format: 'mp3' } as const;

/** An instrumental `overture-music` track of `durationSeconds` to MP3, seed 7; `fields` change any of it. */
export function musicRequest(prompt: string, durationSeconds: number, fields: Partial<EngineRequest> = {}): EngineRequest {
  return { ...COMMON, modelId: 'overture-music', modelType: 'music', prompt, durationSeconds, forceInstrumental: true, seed: 7, ...fields };
}

/** `prompt` spoken by the speech model `modelId` to MP3, seed 1; `fields` change any of it. */
export function speechRequest(modelId: string, prompt: string, fields: Partial<EngineRequest> = {}): EngineRequest {
  return { ...COMMON, modelId, modelType: 'tts', prompt, forceInstrumental: false, seed: 1, ...fields };
}

/**
 * Run `request` through `engine` `warmUps` times unmeasured (WebAssembly tiers up on the first
 * calls), then `LOAD.runs` times: each measured run's audio seconds per wall second. Closes the engine.
 */
export async function realTimeFactors(engine: Engine, request: EngineRequest, warmUps: number): Promise<number[]> {
  const options = { signal: new AbortController().signal, onProgress: () => undefined };
  const sink = { write: async () => undefined };
  const factor = async () => {
    const started = performance.now();
    const result = await engine.generate(request, sink, options);
    return result.durationSeconds / ((performance.now() - started) / 1000);
  };
  const factors: number[] = [];
  try {
    for (let warmUp = 0; warmUp < warmUps; warmUp++) await factor();
    for (let run = 0; run < LOAD.runs; run++) factors.push(await factor());
  } finally {
    await engine.close?.();
  }
  return factors;
}

/**
 * A row's one figure: the engine's median real-time factor against the native pipeline's (or why
 * that was not measured), with the target of at least `least`× real time.
 */
export function realTimeFigure(
  row: string,
  name: string,
  factors: readonly number[],
  native: { readonly label: string; readonly value: number | undefined; readonly missing: string | undefined },
  least: number,
): Figure {
  const value = median(factors);
  return {
    row,
    name,
    value,
    unit: '×',
    baseline: { label: native.label, value: native.value },
    target: `≥ ${least}× real time`,
    met: value >= least,
    runs: factors,
    ...(native.missing ? { note: `baseline not measured: ${native.missing}` } : {}),
  };
}
