import { randomBytes } from 'node:crypto';
import type { EngineCallOptions, EngineRequest } from '../../ports/engine.js';
import { attemptError } from './upstream-attempt.js';
import { UpstreamFailure } from './upstream-errors.js';

/** A new submission key of `request`'s job: its request id, a dot and 16 random hex digits. */
export function freshSubmissionKey(request: EngineRequest): string {
  return `${request.requestId}.${randomBytes(8).toString('hex')}`;
}

/**
 * Submit under `submissionKey`, keeping the job's upstream journal: the key is recorded (with no
 * upstream id yet) before `send` sends anything, and the id of what it created (`idOf`) as soon
 * as it answers. A crash between the two leaves `requestId: null` for the next attempt to see.
 */
export async function journaledSubmit<T>(
  call: EngineCallOptions,
  submissionKey: string,
  send: () => Promise<T>,
  idOf: (created: T) => string,
): Promise<T> {
  await call.upstream?.record({ submissionKey, requestId: null });
  const created = await send();
  await call.upstream?.record({ submissionKey, requestId: idOf(created) });
  return created;
}

/** How one adapter drives its upstream's work (a queued request, a task, a job) for `resumeOrSubmit`. */
export interface UpstreamWork<T> {
  /**
   * Follow the work of upstream id `id` to its end: its result. A `resumed` one that will never
   * give audio (unknown, expired, failed) gives undefined before any byte is written.
   */
  follow(id: string, resumed: boolean): Promise<T | undefined>;
  /** Submit new work through `journaledSubmit`: its upstream id. */
  submit(): Promise<string>;
  /** Stop the work of `id` upstream, best effort; absent: it runs out on the upstream. */
  readonly cancel?: (id: string) => Promise<void>;
}

/**
 * One attempt at a job's upstream work, keeping money exact: resume what an earlier attempt
 * recorded in the job's journal while it can still give audio, else submit anew and follow that.
 * A failure throws as `attemptError` says, cancelling the work known when nobody will resume it.
 */
export async function resumeOrSubmit<T>(instance: string, call: EngineCallOptions, work: UpstreamWork<T>): Promise<T> {
  let known: string | undefined;
  try {
    const recorded = call.upstream?.previous?.requestId;
    if (recorded) {
      known = recorded;
      const resumed = await work.follow(recorded, true);
      if (resumed !== undefined) return resumed;
      known = undefined;
    }
    known = await work.submit();
    const followed = await work.follow(known, false);
    if (followed === undefined) throw new UpstreamFailure(`${instance} lost the job ${known} it had just queued`);
    return followed;
  } catch (error) {
    const { cancel } = work;
    const id = known;
    return attemptError(error, call.signal, id !== undefined && cancel ? () => cancel(id) : undefined);
  }
}
