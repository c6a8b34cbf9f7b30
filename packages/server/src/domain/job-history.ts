import { z } from 'zod';
import { buildJobStatus, type StatusInput } from './job-status.js';
import { invalidParameters, parseOrThrow } from './validation-error.js';

/** Where a page of the job history starts: after this job, in newest-first order. */
export interface HistoryCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** One page request of an account's job history. */
export interface HistoryPage {
  readonly limit: number;
  readonly after: HistoryCursor | null;
}

/** What a history entry adds to the facts of a status view. */
export interface HistoryInput extends StatusInput {
  readonly request: { readonly prompt: string; readonly durationSeconds?: number; readonly format?: string };
  readonly durationSeconds: number | null;
}

export const HISTORY_DEFAULT_LIMIT = 20;
export const HISTORY_MAX_LIMIT = 100;
const PROMPT_PREVIEW = 200;

/** The query of `GET /audio/jobs`: validates the request and describes it in the OpenAPI document. */
export const historyQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(HISTORY_MAX_LIMIT)
    .optional()
    .describe(`Jobs per page, 1 to ${HISTORY_MAX_LIMIT} (default ${HISTORY_DEFAULT_LIMIT}).`),
  after: z.string().max(200).optional().describe('The `next_cursor` of the previous page.'),
});

/** Opaque to clients: base64url of `<created ms>.<queue id>`. */
export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(`${cursor.createdAt}.${cursor.id}`).toString('base64url');
}

/** Validate `limit` and `after` from a query string; a bad value is the contract's 400 naming it. */
export function parseHistoryPage(query: unknown): HistoryPage {
  const parsed = parseOrThrow(historyQuerySchema, query ?? {});
  const limit = parsed.limit ?? HISTORY_DEFAULT_LIMIT;
  if (parsed.after === undefined || parsed.after === '') return { limit, after: null };
  const decoded = Buffer.from(parsed.after, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(decoded);
  if (!match) throw invalidParameters([{ path: ['after'], message: 'after must be a next_cursor from an earlier page' }]);
  return { limit, after: { createdAt: Number(match[1]), id: match[2] as string } };
}

/** One job as the history lists it: its status (no live position or ETA) and what it made. */
export function buildHistoryEntry(job: HistoryInput, now: number) {
  const status = buildJobStatus(job, { position: null, p80Ms: 0, concurrency: 1, now });
  const prompt = job.request.prompt;
  return {
    ...status,
    eta_ms: null,
    prompt: prompt.length > PROMPT_PREVIEW ? `${prompt.slice(0, PROMPT_PREVIEW)}…` : prompt,
    format: job.request.format ?? null,
    duration_seconds: job.durationSeconds ?? job.request.durationSeconds ?? null,
    media_available: status.media_expires_at !== null,
  };
}

/** A page of history: `data` newest first and the cursor of the next page (null at the end). */
export function buildHistoryPage<T extends HistoryInput>(jobs: readonly T[], page: HistoryPage, now: number) {
  const shown = jobs.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    object: 'list' as const,
    data: shown.map((job) => buildHistoryEntry(job, now)),
    has_more: jobs.length > page.limit,
    next_cursor: jobs.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}
