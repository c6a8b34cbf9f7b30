import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InstanceSettings } from '../../ports/engine-adapter.js';
import { readJsonAnswer } from '../remote/read-json.js';
import { cancelBestEffort } from '../remote/upstream-attempt.js';
import type { UpstreamClient } from '../remote/upstream-client.js';
import { UpstreamBusy, UpstreamFailure } from '../remote/upstream-errors.js';
import type { CogOptions } from './cog-options.js';

/** What every call of one `cog` instance shares. */
export interface CogContext {
  readonly settings: InstanceSettings;
  readonly options: CogOptions;
  /** Health checks, cancels and asynchronous PUTs (the instance's request timeout). */
  readonly client: UpstreamClient;
  /** The blocking synchronous PUT (`predict_timeout_seconds`). */
  readonly predictClient: UpstreamClient;
  /** Output downloads (Cog's `--upload-url` storage). */
  readonly files: UpstreamClient;
}

/** A prediction as Cog answers it (coglet `build_state_snapshot`, the legacy server's `PredictionResponse`). */
export const predictionSchema = z.looseObject({
  id: z.string().nullish(),
  status: z.string(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
});
export type CogPrediction = z.output<typeof predictionSchema>;

const healthSchema = z.looseObject({
  status: z.string(),
  setup: z.looseObject({ started_at: z.string().nullish(), logs: z.string().nullish() }).nullish(),
  user_healthcheck_error: z.string().nullish(),
});
export type CogHealth = z.output<typeof healthSchema>;

const TERMINAL = ['succeeded', 'failed', 'canceled'];
const BROKEN = ['SETUP_FAILED', 'DEFUNCT', 'UNHEALTHY'];

/** A container whose setup failed or that went defunct or unhealthy: no prediction will finish there. */
export const isBroken = (health: CogHealth): boolean => BROKEN.includes(health.status);
/** Largest JSON answer that is not a prediction carrying a file. */
const SMALL_JSON = 1024 * 1024;

/** True once the prediction will not change any more. */
export function isTerminal(prediction: CogPrediction): boolean {
  return TERMINAL.includes(prediction.status);
}

/**
 * The prediction id of a job on an instance, chosen by Overture so that every attempt names the
 * same prediction: the job id when it is path-safe, else a digest of it.
 */
export function predictionIdFor(requestId: string): string {
  if (/^[A-Za-z0-9_-]{1,100}$/.test(requestId)) return `overture-${requestId}`;
  return `overture-${createHash('sha256').update(requestId).digest('hex').slice(0, 32)}`;
}

/**
 * `PUT /predictions/{id}`: 200 the finished prediction (synchronous), 202 a started one or the
 * current state of one already running under that id. 409 (all slots busy) and 503 (setup not
 * finished) are told apart through `/health-check`: waiting (`UpstreamBusy`) unless the container
 * is broken (`UpstreamFailure`). A prediction may carry its file as a data URL: the answer may be
 * as large as the file allows.
 */
export async function putPrediction(
  context: CogContext,
  client: UpstreamClient,
  id: string,
  body: Record<string, unknown>,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<{ readonly status: number; readonly prediction: CogPrediction }> {
  const path = `/predictions/${encodeURIComponent(id)}`;
  const response = await client.send(path, { method: 'PUT', json: body, headers, passStatuses: [409, 503] }, signal);
  if (response.status === 409 || response.status === 503) {
    const text = await response.text().catch(() => '');
    throw await notAccepting(context, response.status, text, signal);
  }
  const limit = Math.ceil((context.settings.maxResponseBytes * 4) / 3) + SMALL_JSON;
  const answer = { instance: context.settings.name, what: `PUT ${path}`, limit, signal };
  return { status: response.status, prediction: await readJsonAnswer(response, predictionSchema, answer) };
}

/** Why the container refused a prediction, from its health: busy or starting → wait; broken → fail. */
async function notAccepting(context: CogContext, status: number, text: string, signal: AbortSignal): Promise<Error> {
  const health = await checkHealth(context, signal);
  const said = text.slice(0, 200) || `status ${status}`;
  if (isBroken(health)) return brokenError(context, health);
  return new UpstreamBusy(`${context.settings.name} is ${health.status} (${status}: ${said})`, undefined);
}

/** `GET /health-check` (always 200; the state is in `status`). */
export async function checkHealth(context: CogContext, signal: AbortSignal): Promise<CogHealth> {
  return context.client.json('/health-check', {}, healthSchema, signal);
}

/** The failure of a container whose setup failed, that went defunct or fails its own health check. */
export function brokenError(context: CogContext, health: CogHealth): UpstreamFailure {
  const why = health.user_healthcheck_error ?? health.setup?.logs?.trim().split('\n').at(-1) ?? '';
  return new UpstreamFailure(`${context.settings.name} is ${health.status}${why ? `: ${why.slice(0, 300)}` : ''}`);
}

/**
 * Best effort: `POST /predictions/{id}/cancel` (404: nothing runs under that id), on Cog and on
 * Replicate's API alike. When it fails the prediction runs out: a later PUT of the same id finds
 * it on Cog; on Replicate it is paid for, or its Cancel-After stops it.
 */
export function cancelPrediction(context: Pick<CogContext, 'settings' | 'client'>, id: string): Promise<void> {
  const path = `/predictions/${encodeURIComponent(id)}/cancel`;
  return cancelBestEffort(context.settings, (signal) => context.client.send(path, { method: 'POST', passStatuses: [404] }, signal));
}
