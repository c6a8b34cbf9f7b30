import type { ByteSink, EngineCallOptions, EngineRequest, EngineResult } from '../../ports/engine.js';
import { attemptError } from '../remote/upstream-attempt.js';
import { sleep } from '../remote/upstream-client.js';
import { mappedInput } from './cog-input.js';
import { parseCogRow } from './cog-options.js';
import { receivePrediction } from './cog-output.js';
import {
  brokenError,
  isBroken,
  type CogContext,
  type CogPrediction,
  cancelPrediction,
  checkHealth,
  isTerminal,
  predictionIdFor,
  predictionSchema,
  putPrediction,
} from './cog-prediction.js';
import { cogWebhooks, webhookToken } from './cog-webhooks.js';

/**
 * One job through a Cog container. The prediction id is Overture's (derived from the job) and is
 * recorded as both submission key and request id before the first PUT: a resumed attempt PUTs the
 * same id, which Cog answers with the prediction already running under it instead of starting
 * another — so there is no window in which a crash loses track of a running prediction.
 */
export async function generateCog(
  context: CogContext,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  const { row, input } = mappedInput(request, context.settings.name, parseCogRow);
  const { signal } = call;
  signal.throwIfAborted();
  const previous = call.upstream?.previous;
  const id = previous?.requestId ?? predictionIdFor(request.requestId);
  if (previous?.requestId !== id) await call.upstream?.record({ submissionKey: id, requestId: id });
  try {
    call.onProgress(0, 'upstream');
    const prediction =
      context.options.mode === 'sync' ? await runSync(context, id, input, signal) : await runWebhook(context, id, input, call);
    const take = { id, field: row.output_field, target: request.format, sink, signal };
    return { durationSeconds: await receivePrediction(context, prediction, take) };
  } catch (error) {
    return attemptError(error, signal, context.options.cancel_upstream ? () => cancelPrediction(context, id) : undefined);
  }
}

/**
 * Synchronous mode: the PUT blocks until the prediction ends. A 202 means an earlier attempt's
 * prediction still runs under this id (the legacy Python server lets it run when its caller goes;
 * coglet cancels it): its answer went to a closed connection and cannot be collected, so it is
 * cancelled — unless already finished — and the PUT repeated until it runs ours.
 */
async function runSync(context: CogContext, id: string, input: Record<string, unknown>, signal: AbortSignal): Promise<CogPrediction> {
  const client = context.predictClient;
  for (;;) {
    const answer = await client.whileBusy(() => putPrediction(context, client, id, { input }, {}, signal), signal);
    if (answer.status === 200 || isTerminal(answer.prediction)) return answer.prediction;
    await cancelPrediction(context, id);
    await sleep(context.options.poll_seconds * 1000, signal);
  }
}

/**
 * Webhook mode: `Prefer: respond-async` with `webhook` = `webhook_url/<id>?token=…`; the result
 * arrives through `cogWebhooks`. Cog offers no status polling, so while waiting the container's
 * health is checked every `poll_seconds`: broken → the attempt fails; restarted (another
 * `setup.started_at`) → the prediction is lost, the same id is PUT again.
 */
async function runWebhook(
  context: CogContext,
  id: string,
  input: Record<string, unknown>,
  call: EngineCallOptions,
): Promise<CogPrediction> {
  const { client, options, settings } = context;
  const { signal } = call;
  const token = webhookToken(settings.apiKey, id);
  const webhook = `${(options.webhook_url as string).replace(/\/+$/, '')}/${encodeURIComponent(id)}${token ? `?token=${token}` : ''}`;
  const body = { input, webhook, webhook_events_filter: ['start', 'completed'] };
  const waiter = cogWebhooks.expect(id, token);
  try {
    for (;;) {
      // The container's start time before the PUT: a restart between the PUT and a later health
      // check must still show as a restart (one that came just before the PUT costs a harmless re-PUT).
      const started = (await checkHealth(context, signal)).setup?.started_at;
      const answer = await client.whileBusy(() => putPrediction(context, client, id, body, { prefer: 'respond-async' }, signal), signal);
      if (isTerminal(answer.prediction)) return answer.prediction;
      for (;;) {
        const delivered = await waiter.next(options.poll_seconds * 1000, signal);
        if (delivered !== undefined) {
          const parsed = predictionSchema.safeParse(delivered);
          if (!parsed.success) continue;
          if (isTerminal(parsed.data)) return parsed.data;
          if (parsed.data.status === 'processing') call.onProgress(0.1, 'upstream');
          continue;
        }
        const health = await checkHealth(context, signal);
        if (isBroken(health)) throw brokenError(context, health);
        if (started && health.setup?.started_at && health.setup.started_at !== started) break;
      }
    }
  } finally {
    waiter.release();
  }
}
