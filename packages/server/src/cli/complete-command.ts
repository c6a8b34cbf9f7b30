import { clientCommand } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';
import { jobReference } from './job-model.js';
import { LOOKED_UP_MODEL_OPTION } from './shared-options.js';

/** `overture complete ID [--model M]`: delete a finished job's media and finalize it. */
export const completeCommand = clientCommand({
  name: 'complete',
  summary: 'Complete a finished job: delete its media on the server (exit 10 while it still runs)',
  usage: 'overture complete QUEUE_ID [--model M]',
  argument: 'QUEUE_ID',
  options: [LOOKED_UP_MODEL_OPTION],
  async run(context) {
    const queueId = context.argument;
    const result = await context.client().audio.complete(jobReference(context), { signal: context.signal });
    if (!result.success) throw new CommandError(`Job ${queueId} is still processing; nothing changed`, EXIT.notReady, 'processing');
    context.output.result(`Completed ${queueId}: its media is deleted`, { queue_id: queueId, ...result });
    return EXIT.ok;
  },
});
