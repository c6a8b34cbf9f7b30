import { argument, type CommandDefinition, required } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';

/** `overture cancel ID --model M`: stop a waiting or running job and release its hold (Overture). */
export const cancelCommand: CommandDefinition = {
  name: 'cancel',
  summary: 'Cancel a waiting or running job; its held price is released in full (exit 10 if already finished)',
  usage: 'overture cancel QUEUE_ID --model M',
  client: true,
  options: [{ name: 'model', value: 'M', description: 'the model the job was queued with (required)' }],
  async run({ positional, options, output, signal, client }) {
    const queueId = argument(positional, 'QUEUE_ID');
    const model = required(options, 'model', 'M');
    const result = await client().audio.cancel({ model, queue_id: queueId }, { signal });
    if (!result.success)
      throw new CommandError(`Job ${queueId} is already ${result.state}: ${result.message}`, EXIT.notReady, 'not_cancellable', {
        state: result.state,
      });
    output.result(`Cancelled ${queueId} (it was ${result.was}); its hold is released`, result);
    return EXIT.ok;
  },
};
