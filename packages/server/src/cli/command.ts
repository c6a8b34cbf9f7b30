import { DEFAULT_BASE_URL, type OvertureClient } from '@overture/sdk';
import { UsageError } from './exit-codes.js';
import type { Output } from './output.js';

/** One option of a command; `value` names its argument (absent for a boolean flag). */
export interface OptionDefinition {
  readonly name: string;
  readonly value?: string;
  readonly description: string;
}

/** What a command gets when it runs. */
export interface CommandContext {
  readonly positional: readonly string[];
  readonly options: Readonly<Record<string, string | true>>;
  readonly output: Output;
  /** Fires on Ctrl-C. */
  readonly signal: AbortSignal;
  /** A client for `--base-url` / `--api-key` (else `OVERTURE_BASE_URL` / `OVERTURE_API_KEY`). */
  client(): OvertureClient;
}

/** A subcommand of `overture`. */
export interface CommandDefinition {
  readonly name: string;
  /** One line for `overture --help`. */
  readonly summary: string;
  /** The usage line(s), without the global options. */
  readonly usage: string;
  readonly options: readonly OptionDefinition[];
  /** Whether it talks to a server (and so takes `--base-url` / `--api-key`). */
  readonly client: boolean;
  run(context: CommandContext): Promise<number>;
}

/** Options every client command takes. */
export const GLOBAL_OPTIONS: readonly OptionDefinition[] = [
  { name: 'base-url', value: 'URL', description: `API base URL (env OVERTURE_BASE_URL; default ${DEFAULT_BASE_URL})` },
  { name: 'api-key', value: 'KEY', description: 'API key (env OVERTURE_API_KEY)' },
  { name: 'json', description: 'print one machine-readable JSON document on stdout' },
  { name: 'help', description: 'show this help' },
];

/** The `--help` text of one command. */
export function commandHelp(command: CommandDefinition): string {
  const all = [...command.options, ...(command.client ? GLOBAL_OPTIONS : GLOBAL_OPTIONS.filter((option) => option.name === 'help'))];
  const left = (option: OptionDefinition) =>
    `--${option.name}${option.value ? ` ${option.value}` : ''}${option.name === 'output' ? ', -o' : option.name === 'yes' ? ', -y' : ''}`;
  const width = Math.max(...all.map((option) => left(option).length));
  const lines = all.map((option) => `  ${left(option).padEnd(width)}  ${option.description}`);
  return `${command.summary}\n\nUsage:\n  ${command.usage.split('\n').join('\n  ')}\n\nOptions:\n${lines.join('\n')}`;
}

/** Reject options the command does not know, and value options given without a value. */
export function checkOptions(command: CommandDefinition, options: Readonly<Record<string, string | true>>): void {
  const known = new Map([...command.options, ...GLOBAL_OPTIONS].map((option) => [option.name, option]));
  for (const [name, value] of Object.entries(options)) {
    const option = known.get(name);
    if (!option) throw new UsageError(`Unknown option --${name} for "${command.name}" (see overture ${command.name} --help)`);
    if (option.value && value === true) throw new UsageError(`--${name} needs a value (${option.value})`);
  }
}

/** A string option, or undefined. */
export function text(options: Readonly<Record<string, string | true>>, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A numeric option, or undefined; a usage error when it is not a number within the bounds. */
export function number(
  options: Readonly<Record<string, string | true>>,
  name: string,
  check: (value: number) => boolean = Number.isFinite,
): number | undefined {
  const value = text(options, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || !check(parsed))
    throw new UsageError(`--${name} needs a valid number, not "${value}"`);
  return parsed;
}

/** A required string option. */
export function required(options: Readonly<Record<string, string | true>>, name: string, what = name.toUpperCase()): string {
  const value = text(options, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} ${what} is required`);
  return value;
}

/** The one positional argument a command needs. */
export function argument(positional: readonly string[], what: string): string {
  const [value, extra] = positional;
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}" (quote ${what} if it has spaces)`);
  return value;
}
