import { clientCommand } from './command.js';
import { EXIT } from './exit-codes.js';
import { definedFields, number, positiveInteger, required } from './option-values.js';
import { DURATION_OPTION, modelOption } from './shared-options.js';
import { formatUsd } from './table.js';

/** `overture quote --model M [--duration S] [--characters N]`: the price of a job (no key needed). */
export const quoteCommand = clientCommand({
  summary: 'Show the USD price of a job before queueing it',
  usage: 'overture quote --model M [--duration S] [--characters N]',
  options: [
    modelOption('model id (required)'),
    DURATION_OPTION,
    { name: 'characters', value: 'N', description: 'character count, for models priced per character' },
  ],
  async run({ options, output, signal, client }) {
    const model = required(options, 'model', 'M');
    const duration = number(options, 'duration', positiveInteger);
    const characters = number(options, 'characters', positiveInteger);
    const quote = await client().audio.quote(
      { model, ...definedFields({ duration_seconds: duration, character_count: characters }) },
      { signal },
    );
    output.result(`${formatUsd(quote.quote)} USD`, quote);
    return EXIT.ok;
  },
});
