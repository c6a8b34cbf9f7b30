import { type CommandDefinition, GLOBAL_OPTIONS } from './command.js';
import { UsageError } from './exit-codes.js';

/** Reject options the command does not know, and value options given without a value. */
export function checkOptions(command: CommandDefinition, options: Readonly<Record<string, string | true>>): void {
  const known = new Map([...command.options, ...GLOBAL_OPTIONS].map((option) => [option.name, option]));
  for (const [name, value] of Object.entries(options)) {
    const option = known.get(name);
    if (!option) throw new UsageError(`Unknown option --${name} for "${command.name}" (see overture ${command.name} --help)`);
    if (option.value && value === true) throw new UsageError(`--${name} needs a value (${option.value})`);
  }
}

/**
 * The positional words checked against what the command declares: its one `argument` (returned),
 * none at all, or any (`words`, read by the command itself); '' when it declares no argument.
 */
export function checkPositional(command: CommandDefinition, positional: readonly string[]): string {
  if (command.argument !== undefined) {
    const [value, extra] = positional;
    if (value === undefined || value === '') throw new UsageError(`${command.argument} is required`);
    if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}" (quote ${command.argument} if it has spaces)`);
    return value;
  }
  if (!command.words && positional.length > 0) throw new UsageError(`Unexpected argument "${positional[0]}"`);
  return '';
}
