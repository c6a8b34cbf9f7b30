/**
 * Adapter for a local program run once per request: a Python script around a model, `piper`,
 * `espeak-ng`… It is started with an argument array (`shell: false`, never a shell) whose
 * `{placeholder}`s take the request's values, may read the request on stdin, and writes its audio
 * to stdout (streamed to the client as it comes) or to a temporary file. It waits on a child
 * process, never on the event loop, hence `remote`. Its `url` is not used.
 */
import type { AudioFormat, Engine, EngineCapabilities } from '../../ports/engine.js';
import type { EngineAdapter, InstanceSettings } from '../../ports/engine-adapter.js';
import { featuresOf } from './command-arguments.js';
import { checkProgram, parseCommandOptions } from './command-options.js';
import type { CommandInstance } from './command-process.js';
import { runCommand } from './command-run.js';

/** What the program's output can be converted to. */
const FORMATS: readonly AudioFormat[] = ['mp3', 'wav', 'flac', 'opus', 'pcm'];

/**
 * The only variables of Overture's environment the program sees (plus `options.env`): it must
 * not inherit Overture's secrets (database URL, API keys, wallet keys).
 */
const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'SYSTEMROOT', 'WINDIR'];

/** The program's environment: the inherited variables that are set, then the instance's own. */
export function programEnvironment(
  extra: Readonly<Record<string, string>>,
  from: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = from[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

function create(settings: InstanceSettings): Engine {
  const options = parseCommandOptions(settings.options);
  const env = programEnvironment(options.env);
  checkProgram(options, env.PATH);
  const instance: CommandInstance = {
    name: settings.name,
    options,
    env,
    timeoutMs: (options.timeout_seconds ?? 0) * 1000 || settings.requestTimeoutMs,
    maxBytes: settings.maxResponseBytes,
  };
  const capabilities: EngineCapabilities = { types: ['music', 'tts'], features: featuresOf(options) };
  return {
    name: settings.name,
    formats: FORMATS,
    concurrency: settings.concurrency,
    capabilities,
    generate: (request, sink, call) => runCommand(instance, request, sink, call),
  };
}

/** `"adapter": "command"` in the engines file: one local program run per request. */
export const commandAdapter: EngineAdapter = { remote: true, defaultConcurrency: 1, create };
