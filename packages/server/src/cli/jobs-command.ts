import type { JobHistoryEntry, JobHistoryPage } from '@overture/sdk';
import { clientCommand } from './command.js';
import { EXIT } from './exit-codes.js';
import { definedFields, number, positiveInteger, text } from './option-values.js';
import { formatUsd, renderTable } from './table.js';

/** An ISO instant as `YYYY-MM-DD HH:MM` (UTC), short enough for a table. */
const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** One history entry as a table row. */
export function jobRow(job: JobHistoryEntry): string[] {
  const price = job.currency === 'DIEM' ? `${job.price_usd} DIEM` : formatUsd(job.price_usd);
  return [
    job.queue_id,
    job.model,
    job.state,
    price,
    job.duration_seconds === null ? '-' : `${job.duration_seconds}s`,
    minute(job.created_at),
    job.media_available && job.media_expires_at ? `until ${minute(job.media_expires_at)}` : '-',
  ];
}

/** `overture jobs [--limit N] [--after CURSOR] [--all]`: the account's jobs, newest first. */
export const jobsCommand = clientCommand({
  summary: "List the account's jobs, newest first, with state, price and media",
  usage: 'overture jobs [--limit N] [--after CURSOR] [--all]',
  options: [
    { name: 'limit', value: 'N', description: 'jobs per page, 1 to 100 (default 20)' },
    { name: 'after', value: 'CURSOR', description: 'start after this cursor (the next_cursor of an earlier page)' },
    { name: 'all', description: 'every page, not just the first' },
  ],
  async run({ options, output, signal, client }) {
    const limit = number(options, 'limit', (value) => positiveInteger(value) && value <= 100);
    const request = definedFields({ limit, after: text(options, 'after') });
    let page: JobHistoryPage;
    if (options.all === true) {
      const data: JobHistoryEntry[] = [];
      for await (const job of client().audio.allJobs(request, { signal })) data.push(job);
      page = { object: 'list', data, has_more: false, next_cursor: null };
    } else {
      page = await client().audio.jobs(request, { signal });
    }
    const header = ['QUEUE ID', 'MODEL', 'STATE', 'PRICE', 'DURATION', 'CREATED (UTC)', 'MEDIA'];
    const table = page.data.length === 0 ? 'No jobs.' : renderTable(header, page.data.map(jobRow), (line) => output.bold(line));
    const more = page.has_more && page.next_cursor ? `\nMore: overture jobs --after ${page.next_cursor}` : '';
    output.result(`${table}${more}`, page);
    return EXIT.ok;
  },
});
