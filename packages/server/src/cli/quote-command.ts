import { type CommandDefinition, number, required } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { formatUsd } from './table.js';

/** `overture quote --model M [--duration S] [--characters N]`: the price of a job (no key needed). */
export const quoteCommand: CommandDefinition = {
  name: 'quote',
  summary: 'Show the USD price of a job before queueing it',
  usage: 'overture quote --model M [--duration S] [--characters N]',
  client: true,
  options: [
    { name: 'model', value: 'M', description: 'model id (required)' },
    { name: 'duration', value: 'S', description: 'length in seconds (default: the model default)' },
    { name: 'characters', value: 'N', description: 'character count, for models priced per character' },
  ],
  async run({ positional, options, output, signal, client }) {
    if (positional.length > 0) throw new UsageError(`Unexpected argument "${positional[0]}"`);
    const model = required(options, 'model', 'M');
    const duration = number(options, 'duration', (value) => Number.isInteger(value) && value > 0);
    const characters = number(options, 'characters', (value) => Number.isInteger(value) && value > 0);
    const quote = await client().audio.quote(
      {
        model,
        ...(duration === undefined ? {} : { duration_seconds: duration }),
        ...(characters === undefined ? {} : { character_count: characters }),
      },
      { signal },
    );
    output.result(`${formatUsd(quote.quote)} USD`, quote);
    return EXIT.ok;
  },
};
