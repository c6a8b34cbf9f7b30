/**
 * `npm run bench [-- <row-filter>…]`: measure Overture against baselines taken in the same run,
 * print one table and write it (with every run's raw numbers) to bench/results/latest.json.
 * Not part of `npm test`; refuses to run under CI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { busyApiRow } from './rows/busy-api-row.js';
import { downloadRow } from './rows/download-row.js';
import { enqueueStartRow } from './rows/enqueue-start-row.js';
import { followLagRow } from './rows/follow-lag-row.js';
import { gatewaySpeechRow } from './rows/gateway-speech-row.js';
import { gatewaySubmitRow } from './rows/gateway-submit-row.js';
import { musicRow } from './rows/music-row.js';
import { postgresClaimRow } from './rows/postgres-claim-row.js';
import { postgresRow } from './rows/postgres-row.js';
import { postgresStartRow } from './rows/postgres-start-row.js';
import { queueRow } from './rows/queue-row.js';
import { quoteRow } from './rows/quote-row.js';
import { retrieveRow } from './rows/retrieve-row.js';
import { speechRow } from './rows/speech-row.js';
import { ROOT } from './support/child.js';
import { createContext, type Row } from './support/context.js';
import { type Figure, ratioOf, unavailable } from './support/result.js';
import { renderTable } from './support/table.js';

const ROWS: readonly Row[] = [
  retrieveRow,
  busyApiRow,
  quoteRow,
  queueRow,
  postgresRow,
  postgresClaimRow,
  enqueueStartRow,
  postgresStartRow,
  gatewaySubmitRow,
  musicRow,
  followLagRow,
  speechRow,
  gatewaySpeechRow,
  downloadRow,
];

if (process.env.CI) {
  console.error('npm run bench is not meant for CI (shared runners give meaningless numbers); unset CI to run it.');
  process.exit(2);
}
const filters = process.argv.slice(2);
const chosen = ROWS.filter((row) => filters.length === 0 || filters.some((filter) => row.id.includes(filter)));
if (chosen.length === 0) {
  console.error(`no row matches ${filters.join(' ')}; rows: ${ROWS.map((row) => row.id).join(', ')}`);
  process.exit(2);
}

// CPU-bound rows run first: the database and download rows leave the machine busy for a while
// (checkpoints, vacuum, a 1 GiB file to drop), which only the audio rows would feel. The table
// keeps the order of ROWS.
const CPU_BOUND = new Set(['music', 'follow-lag', 'speech']);
const runOrder = [...chosen.filter((row) => CPU_BOUND.has(row.id)), ...chosen.filter((row) => !CPU_BOUND.has(row.id))];
const started = Date.now();
const context = createContext();
const figuresByRow = new Map<Row, Figure[]>();
for (const row of runOrder) {
  const rowStarted = Date.now();
  process.stderr.write(`bench: ${row.id}…\n`);
  try {
    figuresByRow.set(row, await row.run(context));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: ${row.id} failed: ${message}\n`);
    figuresByRow.set(row, [unavailable(row.id, row.id, '—', `failed: ${message.slice(0, 160)}`)]);
  }
  process.stderr.write(`bench: ${row.id} done in ${((Date.now() - rowStarted) / 1000).toFixed(1)} s\n`);
}

await context.close();
const figures = chosen.flatMap((row) => figuresByRow.get(row) ?? []);
const table = renderTable(figures);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
console.log(`\n${table}\n\nMachine: ${machine}. Took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
const directory = resolve(ROOT, 'bench/results');
mkdirSync(directory, { recursive: true });
const json = {
  at: new Date().toISOString(),
  machine,
  seconds: (Date.now() - started) / 1000,
  figures: figures.map((figure) => ({ ...figure, ratio: ratioOf(figure) ?? null })),
  table,
};
writeFileSync(resolve(directory, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
process.exit(0);
