import type { Engine } from '../ports/engine.js';
import { createEffectsEngine } from './effects/effects-engine.js';
import { createMusicEngine } from './music/music-engine.js';
import { createSpeechEngine } from './speech/speech-engine.js';
import { createToneEngine } from './tone/tone-engine.js';

/** The engines that ship with Overture, by name. Each loads its heavy parts lazily. */
export function builtinEngines(): Engine[] {
  return [createToneEngine(), createMusicEngine(), createEffectsEngine(), createSpeechEngine()];
}
