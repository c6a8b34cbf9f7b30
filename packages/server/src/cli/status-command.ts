import { argument, type CommandDefinition, required } from './command.js';
import { EXIT } from './exit-codes.js';
import { formatDuration } from './table.js';

/** `overture status ID --model M`: whether a job is still processing or its audio is ready. */
export const statusCommand: CommandDefinition = {
  name: 'status',
  summary: 'Show whether a queued job is still processing or done',
  usage: 'overture status QUEUE_ID --model M',
  client: true,
  options: [{ name: 'model', value: 'M', description: 'the model the job was queued with' }],
  async run({ positional, options, output, signal, client }) {
    const queueId = argument(positional, 'QUEUE_ID');
    const model = required(options, 'model', 'M');
    const result = await client().audio.retrieve({ model, queue_id: queueId }, { signal });
    if (result.status === 'PROCESSING') {
      const human = `processing: ${formatDuration(result.executionDuration)} elapsed, about ${formatDuration(result.averageExecutionTime)} expected`;
      output.result(human, { queue_id: queueId, model, status: 'PROCESSING', execution_duration: result.executionDuration, average_execution_time: result.averageExecutionTime });
      return EXIT.ok;
    }
    await result.stream().cancel();
    const human = `done: ${result.durationSeconds} s of ${result.format} (rendered in ${result.inferenceSeconds} s); overture fetch ${queueId} --model ${model}`;
    output.result(human, {
      queue_id: queueId,
      model,
      status: 'COMPLETED',
      content_type: result.contentType,
      format: result.format,
      duration_seconds: result.durationSeconds,
      inference_seconds: result.inferenceSeconds,
    });
    return EXIT.ok;
  },
};
