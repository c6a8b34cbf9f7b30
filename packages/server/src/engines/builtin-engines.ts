import type { Engine } from '../ports/engine.js';
import { createToneEngine } from './tone/tone-engine.js';

/** The engines that ship with Overture, by name. */
export function builtinEngines(): Engine[] {
  return [createToneEngine()];
}
