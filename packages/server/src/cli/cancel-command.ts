import { clientCommand } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';
import { jobReference } from './job-model.js';
import { LOOKED_UP_MODEL_OPTION } from './shared-options.js';

/** `overture cancel ID [--model M]`: cancel a waiting or running job, releasing its hold. */
export const cancelCommand = clientCommand({
  name: 'cancel',
  summary: 'Cancel a waiting or running job; its held price is released in full (exit 10 if already finished)',
  usage: 'overture cancel QUEUE_ID [--model M]',
  argument: 'QUEUE_ID',
  options: [LOOKED_UP_MODEL_OPTION],
  async run(context) {
    const queueId = context.argument;
    const result = await context.client().audio.cancel(jobReference(context), { signal: context.signal });
    if (!result.success)
      throw new CommandError(`Job ${queueId} is already ${result.state}: ${result.message}`, EXIT.notReady, 'not_cancellable', {
        state: result.state,
      });
    context.output.result(`Cancelled ${queueId} (it was ${result.was}); its hold is released`, result);
    return EXIT.ok;
  },
});
