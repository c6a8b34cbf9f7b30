import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import { type startTestApp, toneCatalogFile } from './test-app.js';
import { testEngines } from './test-engines.js';

/** Which rows of the tone catalogue a test moves onto which engine, producing WAV only. */
export interface EngineBinding {
  /** The rows to move. */
  readonly picks: (model: Record<string, unknown>) => boolean;
  /** Their new `engine`: a name (`gate` of `testEngines()`, `tone`, …) or engine instances (`['a']`). */
  readonly engine: string | readonly string[];
  /** WAV becomes their `default_format` too, not only their one supported format. */
  readonly wavDefault?: boolean;
}

/**
 * Write the tone catalogue as `name` in `directory`, with the rows `binding` picks on its engine
 * and in WAV only. Answers the file's path, for `OVERTURE_CATALOG`.
 */
export function boundCatalogFile(directory: string, name: string, binding: EngineBinding): string {
  const formats = binding.wavDefault ? { supported_formats: ['wav'], default_format: 'wav' } : { supported_formats: ['wav'] };
  return toneCatalogFile(
    directory,
    (model) => {
      if (binding.picks(model))
        Object.assign(model, { engine: binding.engine, model_spec: { ...(model.model_spec as object), ...formats } });
    },
    name,
  );
}

/**
 * A fresh data directory (named after `prefix`) whose catalogue runs the rows `picks` chooses on
 * the gate engine, in WAV only: their jobs wait until `fakes.release()`. Answers the engines and
 * the `startTestApp` options that serve that catalogue with the tone engine and theirs.
 */
export function gatedAppOptions(
  prefix: string,
  picks: EngineBinding['picks'],
): { fakes: ReturnType<typeof testEngines>; options: NonNullable<Parameters<typeof startTestApp>[0]> } {
  const fakes = testEngines();
  const directory = mkdtempSync(join(tmpdir(), prefix));
  const catalog = boundCatalogFile(directory, 'gate.json', { picks, engine: 'gate', wavDefault: true });
  return { fakes, options: { directory, env: { OVERTURE_CATALOG: catalog }, parts: { engines: [createToneEngine(), ...fakes.engines] } } };
}
