import { addMicros, type Micros, subtractMicros, ZERO_MICROS } from '../domain/money.js';
import { invalidParameters } from '../domain/validation-error.js';
import type { Store } from '../ports/store/store.js';
import type { ModelCostLine } from '../ports/store/store-records.js';

/** The period a report covers when the operator names none: the last 30 days. */
export const DEFAULT_COST_PERIOD_MS = 30 * 24 * 3_600_000;

/** One model's revenue against upstream cost (money in micro-units, summed exactly), with its margin. */
export interface CostLine extends ModelCostLine {
  /** USD revenue minus upstream cost; DIEM revenue is another currency and is not in it. */
  readonly marginUsd: Micros;
}

/** The report over [from, to): one line per model that finished jobs then, and their sums. */
export interface CostReport {
  readonly from: number;
  readonly to: number;
  readonly lines: readonly CostLine[];
  readonly total: Omit<CostLine, 'modelId'>;
}

/** What the operator's cost report reads: revenue per model against what the upstreams charged. */
export class CostReportService {
  constructor(
    private readonly store: Pick<Store, 'statistics'>,
    private readonly now: () => number,
  ) {}

  /**
   * The report over jobs that finished in [from, to): `to` defaults to now and `from` to 30
   * days before `to`. A period that does not move forward is the contract's 400.
   */
  async report(period: { readonly from?: number; readonly to?: number } = {}): Promise<CostReport> {
    const to = period.to ?? this.now();
    const from = period.from ?? to - DEFAULT_COST_PERIOD_MS;
    if (!(from < to)) throw invalidParameters([{ path: ['to'], message: 'to must be after from' }]);
    const lines = (await this.store.statistics.upstreamCosts(from, to)).map((line) => ({
      ...line,
      marginUsd: subtractMicros(line.revenueUsd, line.upstreamCostUsd),
    }));
    const total = {
      jobs: 0,
      delivered: 0,
      revenueUsd: ZERO_MICROS,
      revenueDiem: ZERO_MICROS,
      upstreamCostUsd: ZERO_MICROS,
      marginUsd: ZERO_MICROS,
    };
    for (const line of lines) {
      total.jobs += line.jobs;
      total.delivered += line.delivered;
      total.revenueUsd = addMicros(total.revenueUsd, line.revenueUsd);
      total.revenueDiem = addMicros(total.revenueDiem, line.revenueDiem);
      total.upstreamCostUsd = addMicros(total.upstreamCostUsd, line.upstreamCostUsd);
      total.marginUsd = addMicros(total.marginUsd, line.marginUsd);
    }
    return { from, to, lines, total };
  }
}
