import { type ByteSink, type EngineCallOptions, EngineRejection, type EngineRequest, type EngineResult } from '../../ports/engine.js';
import { mappedInput } from '../cog/cog-input.js';
import { predictionError, receivePrediction } from '../cog/cog-output.js';
import { cancelPrediction } from '../cog/cog-prediction.js';
import { attemptError } from '../remote/upstream-attempt.js';
import { sleep } from '../remote/upstream-client.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';
import { freshSubmissionKey, journaledSubmit } from '../remote/upstream-job.js';
import { createPrediction, getPrediction, isTerminal, type ReplicateContext, type ReplicatePrediction } from './replicate-api.js';
import { parseReplicateRow, type ReplicateRow } from './replicate-options.js';

/** A model's own refusal of what it made (safety checkers). */
const POLICY = /nsfw|content polic|safety|flagged|sensitive/i;

/**
 * One job through Replicate, keeping money exact: a recorded prediction id is resumed, never
 * created again. Replicate honours no idempotency key, so a creation whose answer is lost — a
 * crash between the POST and recording its id, or an answer that never arrives — cannot be found
 * again: the next attempt creates (and pays for) another prediction. That window is one request
 * long; `cancel_after_seconds` bounds what an orphan can cost.
 */
export async function generateReplicate(
  context: ReplicateContext,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  const { row, input } = mappedInput(request, context.settings.name, parseReplicateRow);
  const { signal } = call;
  signal.throwIfAborted();
  let id: string | undefined;
  try {
    call.onProgress(0, 'upstream');
    let prediction = await resume(context, call);
    if (prediction === undefined) prediction = await submit(context, request, row, input, call);
    id = prediction.id;
    prediction = await settle(context, prediction, call);
    const error = predictionError(prediction);
    if (prediction.status === 'failed' && POLICY.test(error)) throw new EngineRejection('content_policy', error);
    const durationSeconds = await receivePrediction(context, prediction, {
      id,
      field: row.output_field,
      target: request.format,
      sink,
      signal,
      headersFor: (url) => (url.startsWith(`${context.apiOrigin}/`) ? context.client.options.headers : undefined),
    });
    return { durationSeconds };
  } catch (error) {
    const created = id;
    const cancel = created !== undefined && context.options.cancel_upstream ? () => cancelPrediction(context, created) : undefined;
    return attemptError(error, signal, cancel);
  }
}

/**
 * The prediction an earlier attempt recorded, when it can still give audio. Unknown (404), failed,
 * canceled, aborted, or succeeded but removed (API predictions' data goes after an hour): undefined,
 * and a new prediction is created.
 */
async function resume(context: ReplicateContext, call: EngineCallOptions): Promise<ReplicatePrediction | undefined> {
  const recorded = call.upstream?.previous?.requestId;
  if (!recorded) return undefined;
  const prediction = await getPrediction(context, recorded, call.signal);
  if (prediction === undefined || (isTerminal(prediction) && prediction.status !== 'succeeded')) return undefined;
  if (prediction.status === 'succeeded' && (prediction.data_removed === true || prediction.output == null)) return undefined;
  return prediction;
}

/** Create under a fresh submission key, recorded first; the prediction id recorded at once. */
function submit(
  context: ReplicateContext,
  request: EngineRequest,
  row: ReplicateRow,
  input: Record<string, unknown>,
  call: EngineCallOptions,
): Promise<ReplicatePrediction> {
  const create = () => createPrediction(context, row, input, call.signal);
  return journaledSubmit(call, freshSubmissionKey(request), create, (prediction) => prediction.id);
}

/** Poll until the prediction ends; progress from the model's progress bars in its logs, never going back. */
async function settle(context: ReplicateContext, first: ReplicatePrediction, call: EngineCallOptions): Promise<ReplicatePrediction> {
  let prediction = first;
  let shown = 0;
  for (;;) {
    const fraction = progressOf(prediction);
    if (fraction > shown) call.onProgress((shown = fraction), 'upstream');
    if (isTerminal(prediction)) return prediction;
    await sleep(context.options.poll_seconds * 1000, call.signal);
    const next = await getPrediction(context, prediction.id, call.signal);
    if (next === undefined) throw new UpstreamFailure(`${context.settings.name} no longer knows prediction ${prediction.id}`);
    prediction = next;
  }
}

/** The last tqdm-style percentage in the logs, scaled below 0.95 (the download is still to come). */
function progressOf(prediction: ReplicatePrediction): number {
  const last = [...(prediction.logs ?? '').matchAll(/(\d{1,3})%\|/g)].at(-1);
  const percent = last ? Math.min(100, Number(last[1])) : 0;
  return (percent / 100) * 0.95;
}
