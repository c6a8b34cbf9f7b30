import { z } from 'zod';
import { EngineRejection } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { answerOfShape, readJsonBody } from '../remote/read-json.js';
import { discard } from '../remote/upstream-attempt.js';
import type { UpstreamClient } from '../remote/upstream-client.js';
import { UpstreamBusy } from '../remote/upstream-errors.js';
import type { ReplicateOptions, ReplicateRow } from './replicate-options.js';

/** What every call of one `replicate` instance shares. */
export interface ReplicateContext {
  readonly settings: InstanceSettings;
  readonly options: ReplicateOptions;
  /** The API, `url` (default https://api.replicate.com/v1), with the bearer token. */
  readonly client: UpstreamClient;
  /** Output downloads (replicate.delivery; the token only for the API's own file URLs). */
  readonly files: UpstreamClient;
  readonly apiOrigin: string;
}

/** A prediction as the API answers it (replicate-javascript index.d.ts `Prediction`). */
export const predictionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  logs: z.string().nullish(),
  data_removed: z.boolean().optional(),
});
export type ReplicatePrediction = z.output<typeof predictionSchema>;

const problemSchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  invalid_fields: z.array(z.unknown()).optional(),
});

const TERMINAL = ['succeeded', 'failed', 'canceled', 'aborted'];

/** True once the prediction will not change any more (`aborted`: its `Cancel-After` deadline passed before it ran). */
export function isTerminal(prediction: ReplicatePrediction): boolean {
  return TERMINAL.includes(prediction.status);
}

/**
 * A 429 is Replicate's rate limit (600 creations and 3000 other requests a minute; tighter when
 * credit runs low): wait its `Retry-After`, or the "resets in ~30s" its body states.
 */
export function throttled<T>(work: () => Promise<T>): () => Promise<T> {
  return async () => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof UpstreamBusy) || error.retryAfterMs !== undefined) throw error;
      const stated = /resets in ~?(\d+(?:\.\d+)?)\s*s/i.exec(error.message);
      throw stated ? new UpstreamBusy(error.message, Number(stated[1]) * 1000) : error;
    }
  };
}

/**
 * Create a prediction: `POST /predictions {version, input}`, `/models/{owner}/{name}/predictions`
 * or `/deployments/{owner}/{name}/predictions` `{input}`. A 422 is Replicate's problem document:
 * bad input (`invalid_fields`) is `invalid_input`; an unknown or forbidden version is `refused`.
 */
export async function createPrediction(
  context: ReplicateContext,
  row: ReplicateRow,
  input: Record<string, unknown>,
  signal: AbortSignal,
): Promise<ReplicatePrediction> {
  const { client, options, settings } = context;
  const path = row.deployment
    ? `/deployments/${row.deployment}/predictions`
    : row.model
      ? `/models/${row.model}/predictions`
      : '/predictions';
  const json = row.version !== undefined ? { version: row.version, input } : { input };
  const headers: Record<string, string> = {};
  if (options.wait_seconds !== undefined) headers.prefer = `wait=${options.wait_seconds}`;
  if (options.cancel_after_seconds !== undefined) headers['cancel-after'] = `${options.cancel_after_seconds}s`;
  const response = await client.whileBusy(
    throttled(() => client.send(path, { json, headers, passStatuses: [422] }, signal)),
    signal,
  );
  const data = await readBody(context, response, `POST ${path}`, signal);
  if (response.status === 422) {
    const problem = problemSchema.safeParse(data).data ?? {};
    const said = [problem.title, problem.detail?.trim()].filter(Boolean).join(': ') || JSON.stringify(data).slice(0, 300);
    if (problem.invalid_fields || /input/i.test(problem.title ?? ''))
      throw new EngineRejection('invalid_input', `The model refused the request: ${problem.detail?.trim() ?? said}`);
    throw new EngineRejection('refused', `Upstream ${settings.name} refused Overture's request (422): ${said}`);
  }
  return parsePrediction(context, data, `POST ${path}`);
}

/** A JSON answer, bounded: a prediction may carry its file as a data URL, so up to the file limit. */
function readBody(context: ReplicateContext, response: Response, what: string, signal: AbortSignal): Promise<unknown> {
  const limit = Math.ceil((context.settings.maxResponseBytes * 4) / 3) + (1 << 20);
  return readJsonBody(response, { instance: context.settings.name, what, limit, signal });
}

/** `GET /predictions/{id}`; undefined when the API does not know it (404). */
export async function getPrediction(context: ReplicateContext, id: string, signal: AbortSignal): Promise<ReplicatePrediction | undefined> {
  const { client } = context;
  const path = `/predictions/${encodeURIComponent(id)}`;
  const response = await client.whileBusy(
    throttled(() => client.send(path, { passStatuses: [404] }, signal)),
    signal,
  );
  if (response.status === 404) return discard(response);
  return parsePrediction(context, await readBody(context, response, `GET ${path}`, signal), `GET ${path}`);
}

function parsePrediction(context: ReplicateContext, data: unknown, what: string): ReplicatePrediction {
  return answerOfShape(data, predictionSchema, context.settings.name, what);
}
