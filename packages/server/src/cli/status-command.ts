import type { OvertureClient } from '@overture/sdk';
import { clientCommand } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { describeStatus, elapsedAgainstExpected } from './job-status-text.js';
import { isMissingRoute } from './missing-route.js';
import { text } from './option-values.js';
import type { Output } from './output.js';
import { modelOption } from './shared-options.js';

/** The contract-only status, from `retrieve` (for servers without the status route). */
async function statusFromRetrieve(
  client: OvertureClient,
  queueId: string,
  model: string,
  output: Output,
  signal: AbortSignal,
): Promise<number> {
  const result = await client.audio.retrieve({ model, queue_id: queueId }, { signal });
  if (result.status === 'PROCESSING') {
    const human = `processing: ${elapsedAgainstExpected(result.executionDuration, result.averageExecutionTime)}`;
    output.result(human, {
      queue_id: queueId,
      model,
      status: 'PROCESSING',
      execution_duration: result.executionDuration,
      average_execution_time: result.averageExecutionTime,
    });
    return EXIT.ok;
  }
  await result.stream().cancel();
  output.result(
    `done: ${result.durationSeconds} s of ${result.format} (rendered in ${result.inferenceSeconds} s); overture fetch ${queueId} --model ${model}`,
    {
      queue_id: queueId,
      model,
      status: 'COMPLETED',
      content_type: result.contentType,
      format: result.format,
      duration_seconds: result.durationSeconds,
      inference_seconds: result.inferenceSeconds,
    },
  );
  return EXIT.ok;
}

/** `overture status ID [--model M]`: the live status route, else (with `--model`) what `retrieve` says. */
export const statusCommand = clientCommand({
  summary: "Show a job's state, progress, queue position, ETA and held price",
  usage: 'overture status QUEUE_ID [--model M]',
  argument: 'QUEUE_ID',
  options: [
    modelOption('the model of the job: asks retrieve instead, for servers without the status route'),
    { name: 'retrieve', description: 'use the contract route (retrieve) even when the status route exists' },
  ],
  async run({ argument: queueId, options, output, signal, client: makeClient }) {
    const model = text(options, 'model');
    const client = makeClient();
    if (options.retrieve === true) {
      if (model === undefined) throw new UsageError('--retrieve needs --model M');
      return statusFromRetrieve(client, queueId, model, output, signal);
    }
    try {
      const status = await client.audio.status(queueId, { signal });
      output.result(`${status.queue_id} (${status.model}): ${describeStatus(status)}`, status);
      return EXIT.ok;
    } catch (error) {
      if (!isMissingRoute(error)) throw error;
      if (model === undefined) throw new UsageError('This server has no status route: pass --model M to ask retrieve instead');
      return statusFromRetrieve(client, queueId, model, output, signal);
    }
  },
});
