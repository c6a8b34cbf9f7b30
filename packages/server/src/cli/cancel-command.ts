import { argument, type CommandDefinition, text } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';

/** `overture cancel ID [--model M]`: stop a waiting or running job and release its hold (Overture). */
export const cancelCommand: CommandDefinition = {
  name: 'cancel',
  summary: 'Cancel a waiting or running job; its held price is released in full (exit 10 if already finished)',
  usage: 'overture cancel QUEUE_ID [--model M]',
  client: true,
  options: [{ name: 'model', value: 'M', description: "the job's model (default: looked up with the status route)" }],
  async run({ positional, options, output, signal, client }) {
    const queueId = argument(positional, 'QUEUE_ID');
    const model = text(options, 'model');
    const result = await client().audio.cancel({ queue_id: queueId, ...(model === undefined ? {} : { model }) }, { signal });
    if (!result.success)
      throw new CommandError(`Job ${queueId} is already ${result.state}: ${result.message}`, EXIT.notReady, 'not_cancellable', {
        state: result.state,
      });
    output.result(`Cancelled ${queueId} (it was ${result.was}); its hold is released`, result);
    return EXIT.ok;
  },
};
