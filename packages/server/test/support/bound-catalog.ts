import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import { scriptedAdapter } from './scripted-adapter.js';
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
  /** Leave their formats as the tone catalogue has them: only the engine moves. */
  readonly keepFormats?: boolean;
}

/** `startTestApp`'s options. */
type TestAppOptions = NonNullable<Parameters<typeof startTestApp>[0]>;

/**
 * Write the tone catalogue as `name` in `directory`, with the rows `binding` picks on its engine
 * and in WAV only (unless `keepFormats`). Answers the file's path, for `OVERTURE_CATALOG`.
 */
export function boundCatalogFile(directory: string, name: string, binding: EngineBinding): string {
  const wav = binding.wavDefault ? { supported_formats: ['wav'], default_format: 'wav' } : { supported_formats: ['wav'] };
  const formats = binding.keepFormats ? {} : wav;
  return toneCatalogFile(
    directory,
    (model) => {
      if (binding.picks(model))
        Object.assign(model, { engine: binding.engine, model_spec: { ...(model.model_spec as object), ...formats } });
    },
    name,
  );
}

/** A fresh data directory (named after `prefix`) holding `binding`'s catalogue file, `catalog`. */
export function boundDirectory(prefix: string, binding: EngineBinding): { directory: string; catalog: string } {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  return { directory, catalog: boundCatalogFile(directory, 'bound-catalog.json', binding) };
}

/**
 * A fresh data directory (named after `prefix`) whose catalogue runs the rows `picks` chooses on
 * the gate engine, in WAV only (and WAV by default unless `formats.wavDefault` is false): their
 * jobs wait until `fakes.release()`. Answers the engines and the `startTestApp` options that serve
 * that catalogue with the tone engine and theirs.
 */
export function gatedAppOptions(
  prefix: string,
  picks: EngineBinding['picks'],
  formats: Pick<EngineBinding, 'wavDefault'> = { wavDefault: true },
): { fakes: ReturnType<typeof testEngines>; options: TestAppOptions } {
  const fakes = testEngines();
  const { directory, catalog } = boundDirectory(prefix, { picks, engine: 'gate', ...formats });
  return { fakes, options: { directory, env: { OVERTURE_CATALOG: catalog }, parts: { engines: [createToneEngine(), ...fakes.engines] } } };
}

/**
 * A fresh data directory (named after `prefix`) whose catalogue runs the rows `binding` picks on
 * instance `a` of the scripted adapter (engine threads off), beside the tone engine. `env` is
 * added to the app's environment; with `log`, the app logs at info into it, one JSON line each.
 */
export function scriptedAppOptions(
  prefix: string,
  binding: Omit<EngineBinding, 'engine'>,
  extra: { readonly env?: Record<string, string>; readonly log?: string[] } = {},
): { scripted: ReturnType<typeof scriptedAdapter>; options: TestAppOptions } {
  const scripted = scriptedAdapter();
  const { directory, catalog } = boundDirectory(prefix, { ...binding, engine: ['a'] });
  const engines = join(directory, 'engines.json');
  writeFileSync(engines, JSON.stringify({ engines: { tone: { adapter: 'tone' }, a: { adapter: 'scripted', url: 'http://127.0.0.1:9' } } }));
  const { log } = extra;
  const env = { OVERTURE_CATALOG: catalog, OVERTURE_ENGINES: engines, OVERTURE_ENGINE_THREADS: 'false', ...extra.env };
  return {
    scripted,
    options: {
      directory,
      env: log ? { ...env, LOG_LEVEL: 'info' } : env,
      parts: { adapters: { scripted: scripted.adapter }, ...(log ? { logStream: { write: (line: string) => void log.push(line) } } : {}) },
    },
  };
}
