import { z } from 'zod';
import type { ByteSink, EngineCallOptions, EngineRequest, EngineResult } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { receiveAudio } from '../remote/receive-audio.js';
import { discard } from '../remote/upstream-attempt.js';
import { receiveLimits } from '../remote/upstream-base.js';
import { type UpstreamClient, sleep } from '../remote/upstream-client.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';
import { freshSubmissionKey, journaledSubmit, resumeOrSubmit } from '../remote/upstream-job.js';
import { releaseBody, upstreamFormat } from './ace-step-body.js';
import { type AceStepOptions, rowOptions } from './ace-step-options.js';

/** What every call of one `ace-step` instance shares. */
export interface AceStepContext {
  readonly client: UpstreamClient;
  readonly settings: InstanceSettings;
  readonly options: AceStepOptions;
}

/** Answers are wrapped: `{data, code, error, timestamp, extra}` (docs/en/API.md §2). */
const releasedSchema = z.object({ data: z.object({ task_id: z.string().min(1).max(255) }) });
const queriedSchema = z.object({ data: z.array(z.object({ task_id: z.string(), status: z.number().int(), result: z.string() })) });
/** `result` is a JSON string: one entry per take, `file` = `/v1/audio?path=…` once it succeeded. */
const itemsSchema = z.array(z.looseObject({ file: z.string().optional(), progress: z.number().optional(), error: z.string().nullish() }));

/**
 * One song through ACE-Step's task queue: resume the task an earlier attempt released, else
 * release one (recorded in the job's journal first), poll `/query_result` until it succeeded,
 * and stream its file into the sink. ACE-Step has no cancel route (docs/en/API.md lists none):
 * a task nobody waits for any more runs to its end on the server's GPU.
 */
export async function generateTask(
  context: AceStepContext,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  call.signal.throwIfAborted();
  const body = releaseBody(request, rowOptions(request));
  const durationSeconds = await resumeOrSubmit(context.settings.name, call, {
    follow: (taskId, resumed) => follow(context, taskId, request, sink, call, resumed),
    submit: () => release(context, request, body, call),
  });
  return { durationSeconds };
}

/**
 * `POST /release_task`, its task id recorded once known. ACE-Step honours no idempotency key: the
 * submission key is Overture's marker only and is never sent. Crash window: a crash after the
 * task was released and before its id was recorded (one round trip) leaves `requestId: null`, and
 * the next attempt releases a second task — at worst one song's GPU time spent twice, never a
 * second charge to the client. A 429 "queue is full" created nothing and is waited out.
 */
function release(context: AceStepContext, request: EngineRequest, body: unknown, call: EngineCallOptions): Promise<string> {
  const { client } = context;
  const post = async () => {
    const answer = await client.whileBusy(() => client.json('/release_task', { json: body }, releasedSchema, call.signal), call.signal);
    return answer.data.task_id;
  };
  return journaledSubmit(call, freshSubmissionKey(request), post, (taskId) => taskId);
}

/**
 * Poll until the task succeeded, then download its audio: the measured duration. A resumed task
 * that failed, that the server does not know (restarted, or forgotten after a day) or whose file
 * is gone gives undefined before any byte is written; a fresh one throws `UpstreamFailure`.
 */
async function follow(
  context: AceStepContext,
  taskId: string,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
  resumed: boolean,
): Promise<number | undefined> {
  const { client, settings } = context;
  const { signal } = call;
  let shown = 0;
  for (;;) {
    const json = { task_id_list: [taskId] };
    const answer = await client.whileBusy(() => client.json('/query_result', { json }, queriedSchema, signal), signal);
    const task = answer.data.find((entry) => entry.task_id === taskId);
    if (!task) throw new UpstreamFailure(`${settings.name} left task ${taskId} out of its /query_result answer`);
    const items = parseItems(settings.name, task.result);
    if (task.status === 1) {
      const file = items.find((item) => item.file)?.file;
      if (!file) throw new UpstreamFailure(`${settings.name} task ${taskId} succeeded without a file`);
      return download(context, taskId, file, request, sink, signal, resumed);
    }
    // Unknown ids are answered `status: 0` with an empty result (acestep/api_server.py query_result).
    const lost = task.status === 0 && items.length === 0;
    if (task.status === 2 || lost) {
      if (resumed) return undefined;
      const why = lost ? 'the server does not know it' : (items.find((item) => item.error)?.error ?? 'no reason given');
      throw new UpstreamFailure(`${settings.name} task ${taskId} ${lost ? 'was lost' : 'failed'}: ${why}`);
    }
    if (task.status !== 0) throw new UpstreamFailure(`${settings.name} answered an unknown status ${task.status} for task ${taskId}`);
    const progress = items[0]?.progress;
    if (progress !== undefined && Number.isFinite(progress)) {
      shown = Math.max(shown, Math.min(0.95, Math.max(0, progress)));
      call.onProgress(shown, 'upstream');
    }
    await sleep(context.options.poll_seconds * 1000, signal);
  }
}

function parseItems(instance: string, result: string): z.output<typeof itemsSchema> {
  let data: unknown;
  try {
    data = JSON.parse(result);
  } catch {
    throw new UpstreamFailure(`${instance} answered a task result that is not JSON`);
  }
  const parsed = itemsSchema.safeParse(data);
  if (!parsed.success) throw new UpstreamFailure(`${instance} answered a task result of an unexpected shape: ${parsed.error.message}`);
  return parsed.data;
}

/** `GET /v1/audio?path=…` (bearer only: the route reads no `ai_token`), streamed into the sink, converted when needed. */
async function download(
  context: AceStepContext,
  taskId: string,
  file: string,
  request: EngineRequest,
  sink: ByteSink,
  signal: AbortSignal,
  resumed: boolean,
): Promise<number | undefined> {
  const { client, settings } = context;
  if (!file.startsWith('/'))
    throw new UpstreamFailure(`${settings.name} answered a file that is not one of its paths: ${file.slice(0, 200)}`);
  const response = await client.whileBusy(() => client.send(file, { streamed: true, passStatuses: [404] }, signal), signal);
  if (!response.ok) {
    await discard(response);
    if (resumed) return undefined;
    throw new UpstreamFailure(`${settings.name} has no file for task ${taskId}, which it said succeeded`);
  }
  const { durationSeconds } = await receiveAudio(response, {
    ...receiveLimits(settings),
    target: request.format,
    sink,
    signal,
    expected: upstreamFormat(request.format),
  });
  return durationSeconds;
}
