import { argument, type CommandDefinition, text } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';

/** `overture complete ID [--model M]`: delete a finished job's media and finalize it. */
export const completeCommand: CommandDefinition = {
  name: 'complete',
  summary: 'Complete a finished job: delete its media on the server (exit 10 while it still runs)',
  usage: 'overture complete QUEUE_ID [--model M]',
  client: true,
  options: [{ name: 'model', value: 'M', description: "the job's model (default: looked up with the status route)" }],
  async run({ positional, options, output, signal, client }) {
    const queueId = argument(positional, 'QUEUE_ID');
    const model = text(options, 'model');
    const result = await client().audio.complete({ queue_id: queueId, ...(model === undefined ? {} : { model }) }, { signal });
    if (!result.success) throw new CommandError(`Job ${queueId} is still processing; nothing changed`, EXIT.notReady, 'processing');
    output.result(`Completed ${queueId}: its media is deleted`, { queue_id: queueId, ...result });
    return EXIT.ok;
  },
};
