import type { Engine, EngineCapabilities } from '../ports/engine.js';
import type { EngineAdapter } from '../ports/engine-adapter.js';
import { createEffectsEngine } from './effects/effects-engine.js';
import { createMusicEngine } from './music/music-engine.js';
import { createSpeechEngine } from './speech/speech-engine.js';
import { threadedEngine } from './thread/engine-thread.js';
import { createToneEngine } from './tone/tone-engine.js';

/** The engines that ship with Overture, by name; `warm` loads heavy parts ahead of the first request. */
const FACTORIES: Readonly<Record<string, (warm: boolean) => Engine>> = {
  tone: () => createToneEngine(),
  music: () => createMusicEngine(),
  effects: () => createEffectsEngine(),
  speech: (warm) => createSpeechEngine({ preload: warm }),
};

/** Create the built-in engine `name` in this thread. */
export function createBuiltinEngine(name: string, warm: boolean): Engine {
  const create = FACTORIES[name];
  if (!create) throw new Error(`No built-in engine named ${name}`);
  return create(warm);
}

/** Engines whose thread starts with the server: speech answers `/audio/speech` synchronously. */
const START_NOW = new Set(['speech']);

/** The built-in engine `name` as it serves: on a thread of its own when `threads`, else in this thread. */
function builtinEngine(name: string, threads: boolean): Engine {
  return threads ? threadedEngine(createBuiltinEngine(name, false), { startNow: START_NOW.has(name) }) : createBuiltinEngine(name, true);
}

/**
 * The engines that ship with Overture. With `threads` (the server's default) each runs its
 * generations on a worker thread of its own, away from the event loop; without, in this thread.
 */
export function builtinEngines(options: { readonly threads?: boolean } = {}): Engine[] {
  return Object.keys(FACTORIES).map((name) => builtinEngine(name, options.threads ?? false));
}

/**
 * What rows bound to each built-in engine may claim. `tone` declares nothing: it is the stand-in
 * engine (sketches, tests) that takes every field of every row and ignores what it cannot use.
 */
const CAPABILITIES: Readonly<Record<string, EngineCapabilities>> = {
  music: { types: ['music'], features: ['lyrics', 'lyrics_optimizer', 'force_instrumental', 'loop', 'duration'] },
  effects: { types: ['music'], features: ['loop', 'duration'] },
  speech: { types: ['music', 'tts'], features: ['speed', 'language_code'] },
};

/** The built-in engines as adapters of the engines file, so an instance may rename or re-size one. */
export const BUILTIN_ADAPTERS: Readonly<Record<string, EngineAdapter>> = Object.fromEntries(
  Object.keys(FACTORIES).map((name) => {
    const adapter: EngineAdapter = {
      remote: false,
      get defaultConcurrency() {
        return createBuiltinEngine(name, false).concurrency;
      },
      create: (settings, context) =>
        withInstance(builtinEngine(name, context.threads), settings.name, settings.concurrency, CAPABILITIES[name]),
    };
    return [name, adapter];
  }),
);

/** The same engine under an instance's name, concurrency and capabilities. */
function withInstance(engine: Engine, name: string, concurrency: number, capabilities: EngineCapabilities | undefined): Engine {
  return {
    name,
    concurrency,
    formats: engine.formats,
    pcmSampleRate: engine.pcmSampleRate,
    pacedByText: engine.pacedByText,
    capabilities,
    check: engine.check?.bind(engine),
    generate: (request, sink, options) => engine.generate(request, sink, options),
    close: () => engine.close?.() ?? Promise.resolve(),
  };
}
