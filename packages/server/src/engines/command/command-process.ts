import { EngineRejection } from '../../ports/engine.js';
import { UpstreamFailure } from '../remote/upstream-errors.js';
import { type CommandValues, expandArguments, stdinPayload } from './command-arguments.js';
import type { CommandOptions } from './command-options.js';
import { type ProgramExit, RunningProgram } from './run-program.js';

/** What every call of one `command` instance shares. */
export interface CommandInstance {
  readonly name: string;
  readonly options: CommandOptions;
  /** The program's whole environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Largest output accepted, in bytes. */
  readonly maxBytes: number;
}

/** Start the program for one request; arguments too long for the system are an invalid_input rejection. */
export function startProgram(instance: CommandInstance, values: CommandValues, file: string | undefined): RunningProgram {
  const { options } = instance;
  try {
    return new RunningProgram({
      program: options.program,
      args: expandArguments(options.arguments, values),
      env: instance.env,
      cwd: options.working_directory,
      stdin: stdinPayload(options, values),
      stdout: !file,
      maxStderrBytes: options.max_stderr_bytes,
      killGraceMs: options.kill_grace_seconds * 1000,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'E2BIG')
      throw new EngineRejection(
        'invalid_input',
        'The text is too long to pass as a program argument (this engine should read it from stdin)',
      );
    throw new UpstreamFailure(`${instance.name} could not start ${options.program}: ${(error as Error).message}`);
  }
}

/** `; stderr: …` when the program wrote any. */
export const withStderr = (stderr: string) => (stderr ? `; stderr: ${stderr}` : '');

/**
 * The error a finished program's exit means, if any: none for 0; `invalid_input` with stderr's
 * last line for `invalid_input_exit_code`; otherwise an `UpstreamFailure` with the exit code (or
 * signal) and the tail of stderr.
 */
export function exitError(instance: CommandInstance, exit: ProgramExit, stderr: string): Error | undefined {
  const { name, options } = instance;
  if (exit.startError) return new UpstreamFailure(`${name} could not start ${options.program}: ${exit.startError.message}`);
  if (exit.code === 0) return undefined;
  if (exit.code !== null && exit.code === options.invalid_input_exit_code) {
    const last = stderr.split('\n').findLast((line) => line.trim().length > 0);
    return new EngineRejection('invalid_input', last?.trim() || `The model refused the request (exit code ${exit.code})`);
  }
  const how = exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
  return new UpstreamFailure(`${name}: ${options.program} ${how}${withStderr(stderr) || ' (nothing on stderr)'}`);
}
