import { z } from 'zod';
import { formatOfContentType } from '../../audio/audio-pipe.js';
import type { ByteSink, EngineCallOptions, EngineRequest, EngineResult } from '../../ports/engine.js';
import { receiveAudio } from '../remote/receive-audio.js';
import { cancelBestEffort, discard } from '../remote/upstream-attempt.js';
import { receiveLimits } from '../remote/upstream-base.js';
import { sleep } from '../remote/upstream-client.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';
import { freshSubmissionKey, journaledSubmit, resumeOrSubmit } from '../remote/upstream-job.js';
import { audioFile, type FalContext, readJson, send } from './fal-http.js';
import { type FalRow, falInput, falRow } from './fal-input.js';

const submittedSchema = z.looseObject({ request_id: z.string().min(1).max(255) });
const statusSchema = z.looseObject({ status: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']) });
const outputSchema = z.record(z.string(), z.unknown());
/** A resumed request's result that will never be audio: unknown or expired (404, 410) or failed (500). */
const GONE = [404, 410, 500];

/**
 * One request through fal's queue (docs.fal.ai/model-endpoints/queue): resume the request an
 * earlier attempt submitted, else submit one (recorded in the job's journal first), poll its
 * status, fetch its result and stream the audio file it names into the sink. Cancelled upstream
 * when nobody will resume it.
 */
export async function generateQueued(
  context: FalContext,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  call.signal.throwIfAborted();
  const row = falRow(request);
  const input = falInput(request, row);
  const durationSeconds = await resumeOrSubmit(context.settings.name, call, {
    follow: (id, resumed) => follow(context, row, id, request, sink, call, resumed),
    submit: () => submit(context, row, input, request, call),
    cancel: context.options.cancel_upstream ? (id) => cancelUpstream(context, row, id) : undefined,
  });
  return { durationSeconds };
}

/**
 * `POST {url}/{app}`, its request id recorded once known. fal's queue documents no idempotency
 * key: the submission key is Overture's marker only. Crash window: a crash after fal accepted the
 * request and before its id was recorded (one round trip) leaves `requestId: null`; the next
 * attempt cannot find that request and submits again, and fal bills both.
 */
async function submit(context: FalContext, row: FalRow, input: unknown, request: EngineRequest, call: EngineCallOptions): Promise<string> {
  const expiry = context.options.media_expiration_seconds;
  const headers: Record<string, string> =
    expiry === null ? {} : { 'x-fal-object-lifecycle-preference': JSON.stringify({ expiration_duration_seconds: expiry }) };
  const post = async () => {
    const response = await send(context, `/${row.app}`, { json: input, headers }, call.signal);
    return (await readJson(context, response, submittedSchema, 'the submission', call.signal)).request_id;
  };
  return journaledSubmit(call, freshSubmissionKey(request), post, (id) => id);
}

/** Poll until COMPLETED, then fetch the result and its audio: the measured duration; undefined when a resumed request is gone. */
async function follow(
  context: FalContext,
  row: FalRow,
  id: string,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
  resumed: boolean,
): Promise<number | undefined> {
  const { signal } = call;
  const base = `/${row.requestsApp}/requests/${encodeURIComponent(id)}`;
  for (;;) {
    const response = await send(context, `${base}/status`, { passStatuses: resumed ? [404, 410] : [] }, signal);
    if (!response.ok) return discard(response);
    const { status } = await readJson(context, response, statusSchema, 'a status request', signal);
    if (status === 'COMPLETED') break;
    call.onProgress(0, status === 'IN_QUEUE' ? 'queued' : 'upstream');
    await sleep(context.options.poll_seconds * 1000, signal);
  }
  const answer = await send(context, base, { passStatuses: resumed ? GONE : [] }, signal);
  if (!answer.ok) return discard(answer);
  const file = audioFile(context.settings.name, await readJson(context, answer, outputSchema, 'the result', signal), row.outputField);
  const download = await context.files.whileBusy(
    () => context.files.send(file.url, { streamed: true, passStatuses: [403, 404, 410] }, signal),
    signal,
  );
  if (!download.ok) {
    if (resumed) return discard(download);
    await discard(download);
    throw new UpstreamFailure(`${context.settings.name}: the audio of request ${id} is not there (${download.status})`);
  }
  const { durationSeconds } = await receiveAudio(download, {
    ...receiveLimits(context.settings),
    target: request.format,
    sink,
    signal,
    expected: formatOfContentType(file.contentType ?? null),
  });
  return durationSeconds;
}

/**
 * Best effort, bounded: fal removes a queued request and signals a running one; any answer (202,
 * 400 done, 404) is fine. When it fails the request runs out on fal (and is billed).
 */
function cancelUpstream(context: FalContext, row: FalRow, id: string): Promise<void> {
  const path = `/${row.requestsApp}/requests/${encodeURIComponent(id)}/cancel`;
  return cancelBestEffort(context.settings, (signal) => context.queue.send(path, { method: 'PUT', passStatuses: [400, 404] }, signal));
}
