import type { ModelType } from '@overture/sdk';
import { type CommandDefinition, text } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { durationSummary, formatSummary, pricingSummary } from './model-summary.js';
import { renderTable } from './table.js';

/** `overture models [--type music|tts|all]`: the catalogue as a table. */
export const modelsCommand: CommandDefinition = {
  name: 'models',
  summary: 'List the models with their prices, durations and formats',
  usage: 'overture models [--type music|tts|all]',
  client: true,
  options: [{ name: 'type', value: 'music|tts|all', description: 'only models of this type (default all)' }],
  async run({ positional, options, output, signal, client }) {
    if (positional.length > 0) throw new UsageError(`Unexpected argument "${positional[0]}"`);
    const type = text(options, 'type') ?? 'all';
    if (!['music', 'tts', 'all'].includes(type)) throw new UsageError('--type must be music, tts or all');
    const list = await client().models.list({ type: type as ModelType }, { signal });
    const rows = list.data.map((model) => [model.id, model.type, pricingSummary(model), durationSummary(model), formatSummary(model)]);
    output.result(
      renderTable(['ID', 'TYPE', 'PRICE (USD)', 'DURATION', 'FORMATS'], rows, (line) => output.bold(line)),
      list,
    );
    return EXIT.ok;
  },
};
