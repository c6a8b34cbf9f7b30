import { z } from 'zod';
import type { ByteSink, EngineCallOptions, EngineRequest, EngineResult } from '../../ports/engine.js';
import { cancelBestEffort, discard } from '../remote/upstream-attempt.js';
import { sleep } from '../remote/upstream-client.js';
import { freshSubmissionKey, journaledSubmit, resumeOrSubmit } from '../remote/upstream-job.js';
import { queueBody, upstreamModel } from './venice-bodies.js';
import { isJson, readJson, receive, type VeniceContext } from './venice-context.js';

const queuedSchema = z.object({ queue_id: z.string().min(1).max(255) });
const processingSchema = z.object({
  status: z.literal('PROCESSING'),
  average_execution_time: z.number().nonnegative().optional(),
  execution_duration: z.number().nonnegative().optional(),
});

/**
 * Answers to a resumed job's retrieve that mean it will never give audio: unknown, expired or
 * already completed (404), or failed — the contract answers a failed job's error, and releases
 * its reservation. A fresh submission follows. Gateway errors (502, 504) and 401/403 are not among
 * them: the job may still be alive, and submitting again could pay twice.
 */
const GONE = [400, 404, 410, 422, 500];

/**
 * A queued job through the upstream, keeping money exact across the network: resume what an
 * earlier attempt submitted; record the submission key before sending it and the queue id once
 * known; leave the upstream's copy until the caller has stored the result (`cleanup`).
 */
export async function generateQueued(
  context: VeniceContext,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  const model = upstreamModel(request);
  return resumeOrSubmit(context.settings.name, call, {
    follow: async (queueId, resumed) => {
      const durationSeconds = await poll(context, model, queueId, request, sink, call, resumed);
      return durationSeconds === undefined ? undefined : finished(context, model, queueId, durationSeconds);
    },
    submit: () => submit(context, model, request, call),
    cancel: context.options.cancel_upstream ? (queueId) => cancelUpstream(context, model, queueId) : undefined,
  });
}

/** Submit under an idempotency key recorded first; resend the recorded key when the id never came back. */
async function submit(context: VeniceContext, model: string, request: EngineRequest, call: EngineCallOptions): Promise<string> {
  const { client, options } = context;
  const previous = call.upstream?.previous;
  const submissionKey = previous && previous.requestId === null ? previous.submissionKey : freshSubmissionKey(request);
  const queue = async () => {
    const body = queueBody(request, model, options.voices);
    const headers = { 'idempotency-key': submissionKey };
    const answer = await client.whileBusy(
      () => client.json('/audio/queue', { json: body, headers }, queuedSchema, call.signal),
      call.signal,
    );
    return answer.queue_id;
  };
  return journaledSubmit(call, submissionKey, queue, (queueId) => queueId);
}

/**
 * Poll until the audio arrives and stream it into the sink: its measured duration. A resumed job
 * the upstream no longer has (or that failed) gives undefined before any byte is written.
 */
async function poll(
  context: VeniceContext,
  model: string,
  queueId: string,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
  resumed: boolean,
): Promise<number | undefined> {
  const { client } = context;
  const { signal } = call;
  const json = { model, queue_id: queueId };
  for (;;) {
    const response = await client.whileBusy(
      () => client.send('/audio/retrieve', { json, passStatuses: resumed ? GONE : undefined, streamed: true }, signal),
      signal,
    );
    if (!response.ok) {
      await discard(response);
      return undefined;
    }
    if (!isJson(response)) return receive(context, response, request, sink, signal, undefined);
    const status = await readJson(context, response, processingSchema, '/audio/retrieve', signal);
    const { average_execution_time: average, execution_duration: elapsed } = status;
    if (average && elapsed !== undefined) call.onProgress(Math.min(0.95, elapsed / average), 'upstream');
    await sleep(context.options.poll_seconds * 1000, signal);
  }
}

/** The result: `cleanup` completes the job upstream, once the caller has stored the audio for good. */
function finished(context: VeniceContext, model: string, queueId: string, durationSeconds: number): EngineResult {
  return {
    durationSeconds,
    cleanup: async () => {
      const { client, settings } = context;
      const signal = AbortSignal.timeout(Math.max(settings.requestTimeoutMs, 60_000));
      const json = { model, queue_id: queueId };
      const response = await client.whileBusy(() => client.send('/audio/complete', { json, passStatuses: [404] }, signal), signal);
      await discard(response);
    },
  };
}

/**
 * Best effort: ask the upstream to stop a job nobody will resume (Overture's `/audio/cancel`;
 * Venice has none). When it fails the upstream's job runs out (and, on Venice, is paid for).
 */
function cancelUpstream(context: VeniceContext, model: string, queueId: string): Promise<void> {
  const json = { model, queue_id: queueId };
  return cancelBestEffort(context.settings, (signal) => context.client.send('/audio/cancel', { json, passStatuses: [404] }, signal));
}
