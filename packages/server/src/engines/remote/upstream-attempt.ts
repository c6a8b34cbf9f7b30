import { StopReason } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';

/** Longest wait for a best-effort cancel's answer. */
const CANCEL_MS = 10_000;

/** Read and drop an answer's body, so that its connection is reused. */
export async function discard(response: Response): Promise<undefined> {
  await response.arrayBuffer().catch(() => undefined);
  return undefined;
}

/**
 * Best effort: send a cancel within the instance's request timeout and at most 10 s, drop its
 * answer, and ignore any failure (the upstream's work then runs out).
 */
export async function cancelBestEffort(settings: InstanceSettings, send: (signal: AbortSignal) => Promise<Response>): Promise<void> {
  const signal = AbortSignal.timeout(Math.min(settings.requestTimeoutMs, CANCEL_MS));
  try {
    await discard(await send(signal));
  } catch {
    // Nothing more can be done: the upstream's work runs out, or a later attempt finds it.
  }
}

/**
 * What an attempt that failed with `error` throws: `error` itself, unless its call was aborted —
 * then the abort's reason, after `cancel` (when given) when nobody will resume the upstream's work.
 */
export async function attemptError(error: unknown, signal: AbortSignal, cancel?: () => Promise<void>): Promise<never> {
  if (!signal.aborted) throw error;
  if (cancel && StopReason.abandons(signal.reason)) await cancel();
  throw signal.reason;
}
