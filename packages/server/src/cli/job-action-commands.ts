import type { JobReference } from '@overture/sdk';
import { type CommandContext, type CommandDefinition, clientCommand } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';
import { jobReference } from './job-model.js';
import { modelOption } from './shared-options.js';

/**
 * `overture NAME QUEUE_ID [--model M]`: one server action on a job. `act` sends it and reports the
 * answer; without `--model` the SDK looks the job's model up with the status route.
 */
function jobActionCommand(
  name: string,
  summary: string,
  act: (job: JobReference, context: CommandContext) => Promise<void>,
): CommandDefinition {
  return clientCommand({
    summary,
    usage: `overture ${name} QUEUE_ID [--model M]`,
    argument: 'QUEUE_ID',
    options: [modelOption("the job's model (default: looked up with the status route)")],
    async run(context) {
      await act(jobReference(context), context);
      return EXIT.ok;
    },
  });
}

/** `overture cancel ID [--model M]`: cancel a waiting or running job, releasing its hold. */
export const cancelCommand = jobActionCommand(
  'cancel',
  'Cancel a waiting or running job; its held price is released in full (exit 10 if already finished)',
  async (job, { output, signal, client }) => {
    const result = await client().audio.cancel(job, { signal });
    if (!result.success)
      throw new CommandError(`Job ${job.queue_id} is already ${result.state}: ${result.message}`, EXIT.notReady, 'not_cancellable', {
        state: result.state,
      });
    output.result(`Cancelled ${job.queue_id} (it was ${result.was}); its hold is released`, result);
  },
);

/** `overture complete ID [--model M]`: delete a finished job's media and finalize it. */
export const completeCommand = jobActionCommand(
  'complete',
  'Complete a finished job: delete its media on the server (exit 10 while it still runs)',
  async (job, { output, signal, client }) => {
    const result = await client().audio.complete(job, { signal });
    if (!result.success) throw new CommandError(`Job ${job.queue_id} is still processing; nothing changed`, EXIT.notReady, 'processing');
    output.result(`Completed ${job.queue_id}: its media is deleted`, { queue_id: job.queue_id, ...result });
  },
);
