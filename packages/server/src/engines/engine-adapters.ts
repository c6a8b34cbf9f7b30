import type { Engine } from '../ports/engine.js';
import type { EngineAdapter } from '../ports/engine-adapter.js';
import { aceStepAdapter } from './ace-step/ace-step-adapter.js';
import { BUILTIN_ADAPTERS } from './builtin-engines.js';
import { cogAdapter } from './cog/cog-adapter.js';
import { commandAdapter } from './command/command-adapter.js';
import { elevenlabsAdapter } from './elevenlabs/elevenlabs-adapter.js';
import { EngineRegistry } from './engine-registry.js';
import { falAdapter } from './fal/fal-adapter.js';
import { type EngineInstanceConfig, EnginesFileError, readEnginesFile } from './engines-file.js';
import { openaiSpeechAdapter } from './openai-speech/openai-speech-adapter.js';
import { replicateAdapter } from './replicate/replicate-adapter.js';
import { testModeAdapter } from './test-mode/test-mode-engine.js';
import { veniceAdapter } from './venice/venice-adapter.js';

/** Every adapter an engines file may name: the built-in engines and the clients of upstream model servers. */
export const ENGINE_ADAPTERS: Readonly<Record<string, EngineAdapter>> = {
  ...BUILTIN_ADAPTERS,
  'openai-speech': openaiSpeechAdapter,
  venice: veniceAdapter,
  command: commandAdapter,
  elevenlabs: elevenlabsAdapter,
  'ace-step': aceStepAdapter,
  fal: falAdapter,
  cog: cogAdapter,
  replicate: replicateAdapter,
  test: testModeAdapter,
};

/** Instances every server has besides the built-in engines: `test` serves the test-mode catalog (docs/test-mode.md). */
const ALWAYS_BUILT = ['test'];

/** What the engine instances are built from. */
export interface EngineSetup {
  /** Path of the engines file (`OVERTURE_ENGINES`); unset: the built-in engines only. */
  readonly enginesFile: string | undefined;
  /** Run built-in engines on worker threads of their own. */
  readonly threads: boolean;
  /** Calls at once by instance name (`OVERTURE_ENGINE_CONCURRENCY`), over the engines file and the adapters' defaults. */
  readonly concurrency?: Readonly<Record<string, number>>;
  /** Engines an embedding application (or a test) adds as instances under their own names. */
  readonly extra?: readonly Engine[];
  /** Adapters of its own an embedding application (or a test) lets the engines file name. */
  readonly adapters?: Readonly<Record<string, EngineAdapter>>;
  /** Where `api_key_env` variables are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly fetch?: typeof fetch;
}

/**
 * The engine registry of this process: the built-in engines with today's defaults, the
 * instances of the engines file (which may also rename or re-size a built-in) and `extra`.
 * Passing `extra` alone (no file) serves only those, as tests and embedders expect.
 */
export function openEngines(setup: EngineSetup): EngineRegistry {
  const builtinNames = setup.extra ? [] : [...Object.keys(BUILTIN_ADAPTERS), ...ALWAYS_BUILT];
  return EngineRegistry.build({
    declared: resized(readEnginesFile(setup.enginesFile), builtinNames, setup.concurrency ?? {}),
    adapters: { ...ENGINE_ADAPTERS, ...setup.adapters },
    builtinNames,
    extra: setup.extra ?? [],
    env: setup.env,
    context: { threads: setup.threads, fetch: setup.fetch ?? globalThis.fetch },
    now: setup.now,
    defaults: { requestTimeoutMs: setup.requestTimeoutMs, maxResponseBytes: setup.maxResponseBytes },
  });
}

/** The declared instances with `sizes` applied; a built-in named there is declared with its own adapter. */
function resized(
  declared: Readonly<Record<string, EngineInstanceConfig>>,
  builtinNames: readonly string[],
  sizes: Readonly<Record<string, number>>,
): Record<string, EngineInstanceConfig> {
  const known = new Set([...builtinNames, ...Object.keys(declared)]);
  const unknown = Object.keys(sizes).filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new EnginesFileError(
      `OVERTURE_ENGINE_CONCURRENCY names no engine instance: ${unknown.join(', ')} (instances: ${[...known].join(', ')})`,
    );
  const result: Record<string, EngineInstanceConfig> = { ...declared };
  for (const [name, concurrency] of Object.entries(sizes)) result[name] = { ...(declared[name] ?? { adapter: name }), concurrency };
  return result;
}
