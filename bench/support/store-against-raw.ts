import type { Row } from './context.js';
import { LOAD } from './load.js';
import type { TransactionRun } from './postgres-bed.js';
import type { Figure } from './result.js';
import { median } from './stats.js';

/** What a store-against-raw row says about itself. */
export interface StoreAgainstRawText {
  /** The baseline's label, e.g. `raw PostgreSQL insert txn`. */
  readonly label: string;
  /** The throughput figure's name (its target is ≥ 1,000/s). */
  readonly rate: string;
  /** The p99 figure's name. */
  readonly latency: string;
  /** The p99 target in ms; none: the p99 is reported without a target. */
  readonly latencyTargetMs?: number;
  readonly note?: string;
}

/** One side of the comparison: a run of the store's operations, or of the raw SQL. */
type Side = () => Promise<TransactionRun>;

/**
 * A row that sets a PostgreSQL store's operations against the same work in raw SQL on the same
 * server: `open` the bench, `LOAD.runs` alternating runs (raw first), close it; a throughput and
 * a p99 figure.
 */
export function storeAgainstRawRow<Bench extends { close(): Promise<void> }>(
  id: string,
  text: StoreAgainstRawText,
  open: () => Promise<Bench>,
  sides: (bench: Bench) => { readonly raw: Side; readonly store: Side },
): Row {
  return {
    id,
    async run() {
      const bench = await open();
      try {
        const { raw, store } = sides(bench);
        return figures(id, text, await alternate(raw, store));
      } finally {
        await bench.close();
      }
    },
  };
}

async function alternate(rawSide: Side, storeSide: Side): Promise<{ raw: TransactionRun[]; store: TransactionRun[] }> {
  const store: TransactionRun[] = [];
  const raw: TransactionRun[] = [];
  for (let run = 0; run < LOAD.runs; run++) {
    raw.push(await rawSide());
    store.push(await storeSide());
  }
  return { raw, store };
}

function figures(row: string, text: StoreAgainstRawText, { raw, store }: { raw: TransactionRun[]; store: TransactionRun[] }): Figure[] {
  const rps = median(store.map((run) => run.rps));
  const p99 = median(store.map((run) => run.p99));
  const target = text.latencyTargetMs;
  return [
    {
      row,
      name: text.rate,
      value: rps,
      unit: '/s',
      baseline: { label: text.label, value: median(raw.map((run) => run.rps)) },
      target: '≥ 1,000/s',
      met: rps >= 1000,
      ...(text.note === undefined ? {} : { note: text.note }),
      runs: [...store, ...raw],
    },
    {
      row,
      name: text.latency,
      value: p99,
      unit: 'ms',
      baseline: { label: text.label, value: median(raw.map((run) => run.p99)) },
      target: target === undefined ? '—' : `≤ ${target} ms`,
      met: target === undefined ? undefined : p99 <= target,
    },
  ];
}
