import { ApiError } from '../domain/api-error.js';
import type { Catalog } from '../domain/catalog.js';
import type { CatalogModel } from '../domain/model-spec.js';
import type { AllowedVoices } from '../domain/validate-request.js';
import { type EngineInstance, type EngineRegistry, routeOf } from '../engines/engine-registry.js';
import type { EngineVoice } from '../ports/engine.js';

/** One voice as `GET /audio/voices` answers it. */
export interface VoiceEntry {
  readonly id: string;
  readonly name: string;
  readonly language: string | null;
}

export interface VoiceDirectoryDependencies {
  readonly catalog: Catalog;
  readonly engines: Pick<EngineRegistry, 'get'>;
  readonly now: () => number;
  /** How long an instance's list is kept (`OVERTURE_VOICES_CACHE_SECONDS`); 0 asks every time. */
  readonly cacheMs: number;
  /** How long one upstream may take to list its voices before the request goes on without them. */
  readonly lookupTimeoutMs?: number;
}

/** An instance's list as last asked: `undefined` voices when it could not be had. */
interface Cached {
  readonly until: number;
  readonly voices: Promise<readonly EngineVoice[] | undefined>;
}

/** A failed listing is asked again after this long at most, so a down upstream does not slow every request. */
const FAILURE_MEMORY_MS = 30_000;

/**
 * The voices of each model. A row that lists its `voices` answers those: they are what requests
 * are checked against, the upstream is not asked. A row without `voices` whose instances can list
 * theirs answers the list of the first instance that is up and answers, kept per instance for
 * `cacheMs`; an upstream that fails or is slow never fails the request: the list is then empty
 * (`/audio/voices`) and any voice is accepted (`allowed`). An explicit `"voices": []` says the
 * model takes no voice, and its upstream is not asked.
 */
export class VoiceDirectory {
  private readonly cache = new Map<string, Cached>();
  private readonly lookupTimeoutMs: number;

  constructor(private readonly deps: VoiceDirectoryDependencies) {
    this.lookupTimeoutMs = deps.lookupTimeoutMs ?? 5000;
  }

  /** `GET /audio/voices?model=`: the model's voices; the contract's 404 for an unknown model. */
  async list(modelId: string): Promise<{ object: 'list'; model: string; data: VoiceEntry[] }> {
    const model = this.deps.catalog.find(modelId);
    if (!model) throw new ApiError('model_not_found');
    const listed = model.model_spec.voices;
    const data = listed
      ? listed.map((id) => ({ id, name: id, language: null }))
      : ((await this.upstream(model)) ?? []).map((voice) => ({
          id: voice.id,
          name: voice.name ?? voice.id,
          language: voice.language ?? null,
        }));
    return { object: 'list', model: model.id, data };
  }

  /**
   * What a request's `voice` may be: the row's list when it has one; else, when its instances can
   * list voices, the upstream's (`any` while it cannot be had); else none (the row offers no voice).
   */
  async allowed(model: CatalogModel, voice: string | undefined): Promise<AllowedVoices> {
    const listed = model.model_spec.voices;
    if (listed || voice === undefined || this.listers(model).length === 0) return listed ?? [];
    const voices = await this.upstream(model);
    return voices ? voices.map((it) => it.id) : 'any';
  }

  /** The row's instances whose engines can list voices, in failover order (none when the row lists its own). */
  private listers(model: CatalogModel): EngineInstance[] {
    if (model.model_spec.voices) return [];
    return routeOf(model.engine)
      .map((name) => this.deps.engines.get(name))
      .filter((instance): instance is EngineInstance => instance?.engine.voices !== undefined);
  }

  /** The list of the first instance that is up and answers; undefined when none does. */
  private async upstream(model: CatalogModel): Promise<readonly EngineVoice[] | undefined> {
    for (const instance of this.listers(model)) {
      if (!instance.breaker.allows(this.deps.now())) continue;
      const voices = await this.ofInstance(instance);
      if (voices) return voices;
    }
    return undefined;
  }

  /** One instance's list, from the cache or asked once (concurrent callers share the question). */
  private ofInstance(instance: EngineInstance): Promise<readonly EngineVoice[] | undefined> {
    const now = this.deps.now();
    const cached = this.cache.get(instance.name);
    if (cached && cached.until > now) return cached.voices;
    const signal = AbortSignal.timeout(this.lookupTimeoutMs);
    const voices = Promise.resolve()
      .then(() => instance.engine.voices?.(signal))
      .catch(() => undefined);
    // Callers wait on the same question until it is answered; then the answer is kept for cacheMs.
    this.cache.set(instance.name, { until: Number.POSITIVE_INFINITY, voices });
    void voices.then((list) => {
      const keep = list ? this.deps.cacheMs : Math.min(this.deps.cacheMs, FAILURE_MEMORY_MS);
      this.cache.set(instance.name, { until: this.deps.now() + keep, voices });
    });
    return voices;
  }
}
