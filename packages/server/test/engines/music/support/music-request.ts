/** Helpers for music engine tests: a default request and call options that record progress stages. */
import type { EngineCallOptions, EngineRequest } from '../../../../src/ports/engine.js';
import { musicRequest as engineRequest } from '../../../support/engine-harness.js';

/** A music request with test defaults: ten seconds of pop as WAV, seed 1. */
export function musicRequest(overrides: Partial<EngineRequest>): EngineRequest {
  return engineRequest({
    modelId: 'overture-music',
    requestId: 'test',
    prompt: 'pop song',
    durationSeconds: 10,
    format: 'wav',
    seed: 1,
    ...overrides,
  });
}

/** Call options that record progress stages. */
export function callOptions(signal = new AbortController().signal): EngineCallOptions & { stages: string[] } {
  const stages: string[] = [];
  return {
    signal,
    stages,
    onProgress: (_fraction, stage) => {
      if (stage && stages[stages.length - 1] !== stage) stages.push(stage);
    },
  };
}
