import type { RetrieveResult } from '@overture/sdk';
import { argument, type CommandDefinition, text } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';
import { FollowProgress } from './follow-progress.js';
import { jobModel } from './job-model.js';
import { formatBytes, formatDuration } from './table.js';
import { extensionOf, writeAudio } from './write-audio.js';

/** `overture fetch ID [--model M] [-o FILE] [--wait] [--delete] [--complete]`: download a job's audio. */
export const fetchCommand: CommandDefinition = {
  name: 'fetch',
  summary: "Download a queued job's audio (exit 10 while it is still processing, unless --wait)",
  usage: 'overture fetch QUEUE_ID [--model M] [-o FILE] [--wait] [--delete | --complete]',
  client: true,
  options: [
    { name: 'model', value: 'M', description: "the job's model (default: looked up with the status route; needed elsewhere)" },
    { name: 'output', value: 'FILE', description: 'where to write the audio (default QUEUE_ID.FORMAT; - for stdout)' },
    { name: 'wait', description: 'follow the job (status stream, else polling) and download as soon as it is done' },
    { name: 'delete', description: 'delete the media on the server once sent (delete_media_on_completion)' },
    { name: 'complete', description: 'complete the job (delete its media) after writing the file' },
  ],
  async run({ positional, options, output, signal, client: makeClient }) {
    const queueId = argument(positional, 'QUEUE_ID');
    const client = makeClient();
    const model = await jobModel(client, queueId, text(options, 'model'), signal);
    const deleteOnRetrieve = options.delete === true;
    let result: RetrieveResult;
    if (options.wait === true) {
      const progress = new FollowProgress(output, 'Waiting');
      try {
        result = await client.audio.follow(
          { model, queue_id: queueId },
          { signal, deleteOnRetrieve, onProgress: (update) => progress.update(update) },
        );
      } finally {
        progress.stop();
      }
    } else {
      result = await client.audio.retrieve(
        { model, queue_id: queueId, ...(deleteOnRetrieve ? { delete_media_on_completion: true } : {}) },
        { signal },
      );
    }
    if (result.status === 'PROCESSING') {
      const progress = `${formatDuration(result.executionDuration)} elapsed, about ${formatDuration(result.averageExecutionTime)} expected`;
      throw new CommandError(`Job ${queueId} is still processing (${progress}); try again or pass --wait`, EXIT.notReady, 'processing', {
        execution_duration: result.executionDuration,
        average_execution_time: result.averageExecutionTime,
      });
    }
    const bytes = await result.bytes();
    const file = text(options, 'output') ?? `${queueId}.${extensionOf(result.format, result.contentType)}`;
    await writeAudio(file, bytes);
    const completed = options.complete === true ? (await client.audio.complete({ model, queue_id: queueId }, { signal })).success : false;
    const summary = `Wrote ${file} (${formatBytes(bytes.length)}, ${result.durationSeconds} s ${result.format})${completed ? '; job completed' : ''}`;
    const data = {
      queue_id: queueId,
      model,
      file,
      bytes: bytes.length,
      content_type: result.contentType,
      format: result.format,
      duration_seconds: result.durationSeconds,
      completed,
    };
    if (file === '-') output.note(summary);
    else output.result(summary, data);
    return EXIT.ok;
  },
};
