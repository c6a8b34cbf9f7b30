import type { JobHistoryEntry, JobHistoryPage, JobHistoryRequest } from './job-types.js';
import type { RequestOptions, Transport } from './transport.js';

/** `GET /audio/jobs?limit=&after=`: one page of the account's jobs, newest first. */
export function listJobs(transport: Transport, request: JobHistoryRequest = {}, options?: RequestOptions): Promise<JobHistoryPage> {
  const query = new URLSearchParams();
  if (request.limit !== undefined) query.set('limit', String(request.limit));
  if (request.after !== undefined) query.set('after', request.after);
  const search = query.toString();
  return transport.json({ method: 'GET', path: search ? `/audio/jobs?${search}` : '/audio/jobs', retry: true, options });
}

/**
 * Every job from `request.after` on (or from the newest), page after page of `request.limit`
 * jobs; each page is fetched only when the previous one has been read. Stop with `break`.
 */
export async function* listAllJobs(
  transport: Transport,
  request: JobHistoryRequest = {},
  options?: RequestOptions,
): AsyncGenerator<JobHistoryEntry, void, undefined> {
  let after = request.after;
  for (;;) {
    const page = await listJobs(transport, { ...request, ...(after === undefined ? {} : { after }) }, options);
    yield* page.data;
    if (!page.has_more || page.next_cursor === null || page.next_cursor === after) return;
    after = page.next_cursor;
  }
}
