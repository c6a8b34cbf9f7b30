import type { Engine } from '../ports/engine.js';
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

/**
 * The engines that ship with Overture. With `threads` (the server's default) each runs its
 * generations on a worker thread of its own, away from the event loop; without, in this thread.
 */
export function builtinEngines(options: { readonly threads?: boolean } = {}): Engine[] {
  return Object.keys(FACTORIES).map((name) =>
    options.threads ? threadedEngine(createBuiltinEngine(name, false), { startNow: START_NOW.has(name) }) : createBuiltinEngine(name, true),
  );
}
