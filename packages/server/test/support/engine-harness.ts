/**
 * What the engine tests share: settings and requests to create and drive an engine, a journal
 * in memory, a call that collects progress into an in-memory sink, fake upstreams closed after
 * their test, and bounded waits on conditions (never fixed sleeps).
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { UpstreamFailure } from '../../src/engines/remote/upstream-errors.js';
import {
  type AudioFormat,
  type Engine,
  type EngineCallOptions,
  EngineRejection,
  type EngineRequest,
  type UpstreamEntry,
  type UpstreamJournal,
} from '../../src/ports/engine.js';
import type { EngineAdapter, InstanceSettings } from '../../src/ports/engine-adapter.js';
import { decodeAudio, MemorySink } from './audio-decode.js';

/** A queued (`music` row) request of a short calm piano piece; `overrides` replace any field. */
export const musicRequest = (overrides: Partial<EngineRequest> = {}): EngineRequest => ({
  modelId: 'conformance-music',
  modelType: 'music',
  requestId: 'conformance-1',
  options: {},
  seed: 7,
  prompt: 'a calm piano piece in C major',
  durationSeconds: 2,
  forceInstrumental: false,
  lyricsOptimizer: false,
  loop: false,
  speed: 1,
  format: 'mp3',
  ...overrides,
});

/** An instance's settings: no url or key, 2 calls at once, 30 s a request, 64 MiB answers; `overrides` replace any. */
export const instanceSettings = (name: string, overrides: Partial<InstanceSettings> = {}): InstanceSettings => ({
  name,
  url: undefined,
  apiKey: undefined,
  concurrency: 2,
  requestTimeoutMs: 30_000,
  maxResponseBytes: 64 << 20,
  options: {},
  ...overrides,
});

/** A remote instance's settings at `url`, polling every 20 ms: `overrides` replace any, their `options` added to the poll. */
export const remoteSettings = (name: string, url: string | undefined, overrides: Partial<InstanceSettings> = {}): InstanceSettings =>
  instanceSettings(name, { url, ...overrides, options: { poll_seconds: 0.02, ...overrides.options } });

/** An instance of `adapter`, in this thread unless `threads`, fetching with the global fetch. */
export const createEngine = (adapter: EngineAdapter, settings: InstanceSettings, threads = false): Engine =>
  adapter.create(settings, { threads, fetch });

/**
 * For checks of an adapter's instance settings: `create(options, overrides)` is a thunk (for
 * `assert.throws`) creating an instance of `adapter` named `name` with those options — 1 call at
 * once, 1 s a request, 1000-byte answers, then `defaults`, then `overrides`.
 */
export const creating =
  (adapter: EngineAdapter, name: string, defaults: Partial<InstanceSettings> = {}) =>
  (options: Record<string, unknown>, overrides: Partial<InstanceSettings> = {}) =>
  (): Engine =>
    createEngine(
      adapter,
      instanceSettings(name, { concurrency: 1, requestTimeoutMs: 1000, maxResponseBytes: 1000, ...defaults, options, ...overrides }),
    );

/** An instance of a remote `adapter` for its own tests (20 s a request, 10 MiB answers): see `remoteSettings`. */
export const remoteEngine = (adapter: EngineAdapter, name: string, url: string, overrides: Partial<InstanceSettings> = {}): Engine =>
  createEngine(adapter, remoteSettings(name, url, { requestTimeoutMs: 20_000, maxResponseBytes: 10 << 20, ...overrides }));

/** How an adapter's own tests reach it: its instance's name and settings, its fake upstream, its rows. */
export interface AdapterSetup<Fake, Options> {
  readonly adapter: EngineAdapter;
  /** The instance's name. */
  readonly name: string;
  /** What the instance's settings change of `remoteEngine`'s (e.g. the key, the concurrency). */
  readonly settings: Partial<InstanceSettings>;
  /** Start the fake upstream. */
  readonly start: (options?: Options) => Promise<Fake>;
  /** What the row's requests change of `musicRequest`'s (after `requestId: 'job-1'` and a calm piano piece). */
  readonly row: Partial<EngineRequest>;
}

/** What `rejectsOnFault` changes of its run: the request's fields, the instance's settings. */
export interface FaultRun {
  readonly request?: Partial<EngineRequest>;
  readonly settings?: Partial<InstanceSettings>;
}

/**
 * An adapter's test set-up: `request` of its row (`overrides` replace any field), `fake` an
 * upstream closed after the test, `engineFor` an instance at a fake (`settings` replace any),
 * `rejectsOnFault` a run that a fault of the fake must make reject as `expected` says.
 */
export function adapterSetup<Fake extends { readonly url: string; close(): Promise<void> }, Options>(setup: AdapterSetup<Fake, Options>) {
  const request = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
    musicRequest({ requestId: 'job-1', prompt: 'a calm piano piece', ...setup.row, ...overrides });
  const engineFor = (upstream: Fake, settings: Partial<InstanceSettings> = {}): Engine =>
    remoteEngine(setup.adapter, setup.name, upstream.url, { ...setup.settings, ...settings });
  return {
    request,
    fake: (t: Pick<TestContext, 'after'>, options?: Options): Promise<Fake> => startedFor(t, setup.start(options)),
    engineFor,
    /**
     * Queue `fault` on `upstream`, then run the row's request with a fresh journal on an instance
     * at it (`changes` of either): the call must reject as `expected` says (an error class, a
     * pattern of its message, or a check such as `failure`).
     */
    rejectsOnFault: async <Fault>(
      upstream: Fake & { readonly faults: Fault[] },
      fault: NoInfer<Fault>,
      expected: assert.AssertPredicate,
      changes: FaultRun = {},
    ): Promise<void> => {
      upstream.faults.push(fault);
      await assert.rejects(run(engineFor(upstream, changes.settings), request(changes.request), journal()).result, expected);
    },
  };
}

/** A conformance subject's `close`: the engine's, then each of `others` (e.g. its fake upstream's). */
export const closing =
  (engine: Engine, ...others: (() => Promise<void>)[]) =>
  async (): Promise<void> => {
    await engine.close?.();
    for (const close of others) await close();
  };

/** A fake upstream `server` (being started) for one test, closed after it. */
export async function startedFor<T extends { close(): Promise<void> }>(t: Pick<TestContext, 'after'>, server: Promise<T>): Promise<T> {
  const started = await server;
  t.after(() => started.close());
  return started;
}

/** A job's upstream journal in memory: what the engine recorded, in order; `fail` makes `record` reject. */
export function journal(previous?: UpstreamEntry, fail?: Error): UpstreamJournal & { entries: UpstreamEntry[] } {
  const entries: UpstreamEntry[] = [];
  return {
    previous,
    entries,
    record: async (entry) => {
      if (fail) throw fail;
      entries.push(entry);
    },
  };
}

/**
 * Start a generation: the call's controller, the progress seen (`progress` with stages,
 * `fractions` alone) and the sink, alongside its promise (whose rejection is never unhandled).
 */
export function run(engine: Engine, asked: EngineRequest, upstream?: UpstreamJournal) {
  const controller = new AbortController();
  const sink = new MemorySink();
  const progress: [number, string | undefined][] = [];
  const fractions: number[] = [];
  const call: EngineCallOptions = {
    signal: controller.signal,
    onProgress: (fraction, stage) => {
      progress.push([fraction, stage]);
      fractions.push(fraction);
    },
    upstream,
  };
  const result = engine.generate(asked, sink, call);
  result.catch(() => undefined);
  return { controller, sink, progress, fractions, result };
}

/** Run a generation to its end (see `run`): its sink, the progress seen and its result; rejects as the call does. */
export async function generated(engine: Engine, asked: EngineRequest, upstream?: UpstreamJournal) {
  const started = run(engine, asked, upstream);
  return { ...started, result: await started.result };
}

/**
 * Run `asked` on `engine` with a journal whose `record` rejects (a lost lease): the call must
 * reject with that very error, `upstream` having been sent nothing.
 */
export async function stopsOnRecord(
  engine: Engine,
  asked: EngineRequest,
  upstream: { readonly requests: readonly unknown[] },
): Promise<void> {
  const lost = new Error('lease lost');
  await assert.rejects(run(engine, asked, journal(undefined, lost)).result, (error: unknown) => error === lost);
  assert.equal(upstream.requests.length, 0);
}

/**
 * For checks of a row's `engine_options`: `refused(options, pattern)` runs `request({ options })`
 * on `engine`, which must refuse it (`refused`) with a message matching `pattern`.
 */
export const refusing =
  (engine: Engine, request: (overrides: Partial<EngineRequest>) => EngineRequest) => (options: Record<string, unknown>, pattern: RegExp) =>
    assert.rejects(run(engine, request({ options }), journal()).result, rejected('refused', pattern));

/**
 * Start `asked` on `engine` with the upstream holding back its answer's last chunk, and wait for
 * the first bytes to reach the sink: whether the call has `settled()` yet, and `release` to let
 * the upstream finish.
 */
export async function heldAnswer(engine: Engine, asked: EngineRequest, upstream: { faults: unknown[] }) {
  let release = () => {};
  upstream.faults.push({ kind: 'hold', release: new Promise<void>((resolve) => (release = resolve)) });
  const started = run(engine, asked);
  let settled = false;
  started.result.finally(() => (settled = true)).catch(() => undefined);
  await until(() => started.sink.chunks.length > 0, 'the first bytes reach the sink');
  return { ...started, settled: () => settled, release: () => release() };
}

/** Wait until `condition` holds, checking every 10 ms for at most 30 s. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The seconds of audio `bytes` in `format` hold (its first channel's). */
export async function audioSeconds(bytes: Uint8Array, format: AudioFormat): Promise<number> {
  const audio = await decodeAudio(bytes, format);
  return audio.channels[0]!.length / audio.sampleRate;
}

/** Matches an `UpstreamFailure` whose message matches `pattern` (for `assert.rejects`: says what else it got). */
export const failure = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof UpstreamFailure, `an UpstreamFailure, not ${String(error)}`);
  assert.match(error.message, pattern);
  return true;
};

/** Matches an `EngineRejection` of `kind` whose message matches `pattern` (for `assert.rejects`: says what else it got). */
export const rejected =
  (kind: EngineRejection['kind'], pattern = /./) =>
  (error: unknown) => {
    assert.ok(error instanceof EngineRejection, `an EngineRejection, not ${String(error)}`);
    assert.equal(error.kind, kind, `the kind of "${error.message}"`);
    assert.match(error.message, pattern);
    return true;
  };
