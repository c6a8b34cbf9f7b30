import type { RetrieveResult } from '@overture/sdk';
import { clientCommand } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';
import { FollowProgress } from './follow-progress.js';
import { jobModel } from './job-model.js';
import { elapsedAgainstExpected } from './job-status-text.js';
import { text } from './option-values.js';
import { modelOption, OUTPUT_OPTION } from './shared-options.js';
import { formatBytes } from './table.js';
import { extensionOf, reportWritten, writeAudio } from './write-audio.js';

/** `overture fetch ID [--model M] [-o FILE] [--wait] [--delete] [--complete]`: download a job's audio. */
export const fetchCommand = clientCommand({
  summary: "Download a queued job's audio (exit 10 while it is still processing, unless --wait)",
  usage: 'overture fetch QUEUE_ID [--model M] [-o FILE] [--wait] [--delete | --complete]',
  argument: 'QUEUE_ID',
  options: [
    modelOption("the job's model (default: looked up with the status route; needed elsewhere)"),
    OUTPUT_OPTION,
    { name: 'wait', description: 'follow the job (status stream, else polling) and download as soon as it is done' },
    { name: 'delete', description: 'delete the media on the server once sent (delete_media_on_completion)' },
    { name: 'complete', description: 'complete the job (delete its media) after writing the file' },
  ],
  async run({ argument: queueId, options, output, signal, client: makeClient }) {
    const client = makeClient();
    const model = await jobModel(client, queueId, text(options, 'model'), signal);
    const job = { model, queue_id: queueId };
    const deleteOnRetrieve = options.delete === true;
    let result: RetrieveResult;
    if (options.wait === true) {
      const progress = new FollowProgress(output, 'Waiting');
      try {
        result = await client.audio.follow(job, { signal, deleteOnRetrieve, onProgress: (update) => progress.update(update) });
      } finally {
        progress.stop();
      }
    } else {
      result = await client.audio.retrieve({ ...job, ...(deleteOnRetrieve ? { delete_media_on_completion: true } : {}) }, { signal });
    }
    if (result.status === 'PROCESSING') {
      const progress = elapsedAgainstExpected(result.executionDuration, result.averageExecutionTime);
      throw new CommandError(`Job ${queueId} is still processing (${progress}); try again or pass --wait`, EXIT.notReady, 'processing', {
        execution_duration: result.executionDuration,
        average_execution_time: result.averageExecutionTime,
      });
    }
    const bytes = await result.bytes();
    const file = text(options, 'output') ?? `${queueId}.${extensionOf(result.format, result.contentType)}`;
    await writeAudio(file, bytes);
    const completed = options.complete === true ? (await client.audio.complete(job, { signal })).success : false;
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
    reportWritten(output, file, summary, data);
    return EXIT.ok;
  },
});
