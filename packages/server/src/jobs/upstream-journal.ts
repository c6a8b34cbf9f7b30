import { StopReason, type UpstreamEntry, type UpstreamJournal } from '../ports/engine.js';
import type { Store } from '../ports/store/store.js';
import type { JobRecord } from '../ports/store/store-records.js';

/** A job's upstream journal on one instance, remembering the last entry this attempt recorded. */
export interface AttemptJournal extends UpstreamJournal {
  readonly latest: UpstreamEntry | undefined;
}

/**
 * The journal a remote engine instance keeps on a running job: entries are written fenced by the
 * attempt's lease token; when the lease is gone, recording aborts the attempt (`lease_lost`)
 * and rejects, so the engine stops before it pays the upstream for work nobody will collect.
 */
export function attemptJournal(
  store: Pick<Store, 'leases'>,
  job: JobRecord,
  instance: string,
  controller: AbortController,
): AttemptJournal {
  const token = job.leaseToken as string;
  const earlier = job.upstream;
  const previous =
    earlier && earlier.instance === instance && earlier.submissionKey !== null
      ? { submissionKey: earlier.submissionKey, requestId: earlier.requestId }
      : undefined;
  let latest: UpstreamEntry | undefined;
  return {
    previous,
    get latest() {
      return latest;
    },
    async record(entry) {
      const held = await store.leases.recordUpstream(job.id, token, { instance, ...entry });
      if (!held) {
        const reason = new StopReason('lease_lost');
        controller.abort(reason);
        throw reason;
      }
      latest = entry;
    },
  };
}
