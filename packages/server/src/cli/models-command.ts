import type { ModelType } from '@overture/sdk';
import { clientCommand } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { durationSummary, formatSummary, pricingSummary } from './model-summary.js';
import { text } from './option-values.js';
import { renderTable } from './table.js';

/** `overture models [--type music|tts|all]`: the catalogue as a table. */
export const modelsCommand = clientCommand({
  summary: 'List the models with their prices, durations and formats',
  usage: 'overture models [--type music|tts|all]',
  options: [{ name: 'type', value: 'music|tts|all', description: 'only models of this type (default all)' }],
  async run({ options, output, signal, client }) {
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
});
