import { DEFAULT_BASE_URL, type OvertureClient } from '@overture/sdk';
import type { Output } from './output.js';

/** One option of a command; `value` names its argument (absent for a boolean flag). */
export interface OptionDefinition {
  readonly name: string;
  readonly value?: string;
  readonly description: string;
}

/** What a command gets when it runs. */
export interface CommandContext {
  /** The one positional argument the command declares (`argument`), checked; '' when it declares none. */
  readonly argument: string;
  /** Every positional word, for commands that read them themselves (`words`). */
  readonly positional: readonly string[];
  readonly options: Readonly<Record<string, string | true>>;
  readonly output: Output;
  /** Fires on Ctrl-C. */
  readonly signal: AbortSignal;
  /** A client for `--base-url` / `--api-key` (else `OVERTURE_BASE_URL` / `OVERTURE_API_KEY`). */
  client(): OvertureClient;
}

/** What a command file declares: its help, the positional words it takes, and what it does. */
export interface CommandSpecification {
  /** One line for `overture --help`. */
  readonly summary: string;
  /** The usage line(s), without the global options; each starts `overture NAME`, which names the command. */
  readonly usage: string;
  /** Its own options (default none). */
  readonly options?: readonly OptionDefinition[];
  /** The one positional argument it needs, e.g. `QUEUE_ID`; without it (and `words`) it takes none. */
  readonly argument?: string;
  /** Whether `run` reads the positional words itself (actions such as `keys create`). */
  readonly words?: boolean;
  run(context: CommandContext): Promise<number>;
}

/** A subcommand of `overture`. */
export interface CommandDefinition extends CommandSpecification {
  /** The word after `overture` that runs it, read from its usage line. */
  readonly name: string;
  readonly options: readonly OptionDefinition[];
  /** Whether it talks to a server (and so takes `--base-url` / `--api-key`). */
  readonly client: boolean;
}

/** The name of a command: the word after `overture` that its usage starts with. */
function nameOf(usage: string): string {
  const [program, name] = usage.split(/\s+/);
  if (program !== 'overture' || !name) throw new Error(`A usage line starts with "overture NAME", not "${usage}"`);
  return name;
}

/** A command that talks to a server over HTTP. */
export function clientCommand(specification: CommandSpecification): CommandDefinition {
  return { name: nameOf(specification.usage), options: [], ...specification, client: true };
}

/** A command that runs on the server's machine; it reads its positional words itself. */
export function operatorCommand(specification: CommandSpecification): CommandDefinition {
  return { name: nameOf(specification.usage), options: [], words: true, ...specification, client: false };
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
