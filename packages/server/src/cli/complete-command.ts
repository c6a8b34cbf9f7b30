import { argument, type CommandDefinition, required } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';

/** `overture complete ID --model M`: delete a finished job's media and finalize it. */
export const completeCommand: CommandDefinition = {
  name: 'complete',
  summary: 'Complete a finished job: delete its media on the server (exit 10 while it still runs)',
  usage: 'overture complete QUEUE_ID --model M',
  client: true,
  options: [{ name: 'model', value: 'M', description: 'the model the job was queued with (required)' }],
  async run({ positional, options, output, signal, client }) {
    const queueId = argument(positional, 'QUEUE_ID');
    const model = required(options, 'model', 'M');
    const result = await client().audio.complete({ model, queue_id: queueId }, { signal });
    if (!result.success) throw new CommandError(`Job ${queueId} is still processing; nothing changed`, EXIT.notReady, 'processing');
    output.result(`Completed ${queueId}: its media is deleted`, { queue_id: queueId, ...result });
    return EXIT.ok;
  },
};
