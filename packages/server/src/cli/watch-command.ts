import { isFinalState, type JobStatus, type OvertureClient } from '@overture/sdk';
import { clientCommand } from './command.js';
import { CommandError, EXIT, UsageError } from './exit-codes.js';
import { FollowProgress } from './follow-progress.js';
import { describeStatus } from './job-status-text.js';
import { isMissingStatusStream } from './missing-route.js';
import { text } from './option-values.js';
import type { Output } from './output.js';
import { ProgressBar } from './progress-bar.js';
import { modelOption } from './shared-options.js';

/** The exit code a final state ends `watch` with. */
function exitFor(status: JobStatus): number {
  if (status.state === 'done') return EXIT.ok;
  if (status.state === 'failed' && status.error) {
    const code = status.error.status;
    return code === 422 || code === 400 ? EXIT.invalid : code >= 500 ? EXIT.server : EXIT.unexpected;
  }
  return EXIT.notReady;
}

/** Follow the job by polling `retrieve` (the contract's only way), without downloading the audio. */
async function watchByPolling(client: OvertureClient, queueId: string, model: string, output: Output, signal: AbortSignal) {
  const progress = new FollowProgress(output, 'Processing');
  try {
    const result = await client.audio.follow(
      { model, queue_id: queueId },
      { signal, stream: false, onProgress: (update) => progress.update(update) },
    );
    await result.stream().cancel();
    const human = `${queueId} (${model}): done · ${result.durationSeconds} s of ${result.format}; overture fetch ${queueId} --model ${model}`;
    output.result(human, {
      queue_id: queueId,
      model,
      status: 'COMPLETED',
      format: result.format,
      duration_seconds: result.durationSeconds,
    });
    return EXIT.ok;
  } finally {
    progress.stop();
  }
}

/** `overture watch ID [--model M]`: follow a job live (Server-Sent Events, else polling) until it finishes. */
export const watchCommand = clientCommand({
  summary: 'Follow a job live until it finishes (exit 0 done, 6/8 failed, 10 cancelled or expired)',
  usage: 'overture watch QUEUE_ID [--model M]',
  argument: 'QUEUE_ID',
  options: [modelOption("the job's model: lets watch poll retrieve on servers without the status stream")],
  async run({ argument: queueId, options, output, signal, client: makeClient }) {
    const model = text(options, 'model');
    const client = makeClient();
    let last: JobStatus | undefined;
    let bar: ProgressBar | undefined;
    try {
      for await (const { status } of client.audio.watch(queueId, { signal })) {
        last = status;
        if (isFinalState(status.state)) continue;
        if (output.live && status.state === 'running') {
          bar ??= new ProgressBar(output.terminal.stderr, 'Running');
          const elapsed = status.started_at ? Date.now() - Date.parse(status.started_at) : 0;
          bar.update({ elapsedMs: elapsed, expectedMs: 0, fraction: status.progress, stage: status.stage, etaMs: status.eta_ms });
        } else {
          bar?.stop();
          bar = undefined;
          output.note(describeStatus(status));
        }
      }
    } catch (error) {
      if (last !== undefined || !isMissingStatusStream(error)) throw error;
      if (model === undefined) throw new UsageError('This server has no status stream: pass --model M to follow the job with retrieve');
      return watchByPolling(client, queueId, model, output, signal);
    } finally {
      bar?.stop();
    }
    if (!last) throw new CommandError(`No status received for ${queueId}`, EXIT.unexpected, 'unexpected');
    output.result(`${last.queue_id} (${last.model}): ${describeStatus(last)}`, last);
    return exitFor(last);
  },
});
