import type { CatalogModel } from '../domain/model-spec.js';
import { percentile } from '../domain/percentile.js';
import { type EngineRegistry, routeOf } from '../engines/engine-registry.js';
import type { Store } from '../ports/store/store.js';

const HISTORY = 50;
const CACHE_MS = 5000;

/**
 * `average_execution_time`: the P80 of the model's recent total times (enqueue → done), cached
 * for a few seconds per model; before there is history, an estimate from the requested length.
 */
export class ExecutionEstimates {
  private readonly cache = new Map<string, { at: number; value: number | undefined }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    /** The engine instances, whose `pacedByText` picks the first estimate of a row's route. */
    private readonly engines: Pick<EngineRegistry, 'get'>,
  ) {}

  /** The model's P80 total time in milliseconds, or a first estimate for a request of this length. */
  async p80(model: CatalogModel, durationSeconds: number | undefined, characters: number): Promise<number> {
    const cached = this.cache.get(model.id);
    let value = cached && this.now() - cached.at < CACHE_MS ? cached.value : undefined;
    if (!cached || this.now() - cached.at >= CACHE_MS) {
      value = percentile(await this.store.statistics.recentTotals(model.id, HISTORY), 80);
      this.cache.set(model.id, { at: this.now(), value });
    }
    return Math.round(value ?? this.firstGuess(model, durationSeconds, characters));
  }

  /** Every instance of the row's route is paced by text (speech): characters, else the requested seconds. */
  private firstGuess(model: CatalogModel, durationSeconds: number | undefined, characters: number): number {
    if (routeOf(model.engine).every((name) => this.engines.get(name)?.engine.pacedByText === true)) return 1000 + characters * 0.5;
    return 2000 + (durationSeconds ?? model.model_spec.default_duration ?? 30) * 60;
  }
}
