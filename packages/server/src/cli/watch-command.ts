import { isFinalState, type JobStatus } from '@overture/sdk';
import { argument, type CommandDefinition } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';
import { describeStatus } from './job-status-text.js';
import { ProgressBar } from './progress-bar.js';

/** The exit code a final state ends `watch` with. */
function exitFor(status: JobStatus): number {
  if (status.state === 'done') return EXIT.ok;
  if (status.state === 'failed' && status.error) {
    const code = status.error.status;
    return code === 422 || code === 400 ? EXIT.invalid : code >= 500 ? EXIT.server : EXIT.unexpected;
  }
  return EXIT.notReady;
}

/** `overture watch ID`: follow a job live (Server-Sent Events) until it finishes. */
export const watchCommand: CommandDefinition = {
  name: 'watch',
  summary: 'Follow a job live until it finishes (exit 0 done, 6/8 failed, 10 cancelled or expired)',
  usage: 'overture watch QUEUE_ID',
  client: true,
  options: [],
  async run({ positional, output, signal, client }) {
    const queueId = argument(positional, 'QUEUE_ID');
    let last: JobStatus | undefined;
    let bar: ProgressBar | undefined;
    try {
      for await (const { status } of client().audio.watch(queueId, { signal })) {
        last = status;
        if (isFinalState(status.state)) continue;
        if (output.live && status.state === 'running') {
          bar ??= new ProgressBar(output.terminal.stderr, 'Running');
          const elapsed = status.started_at ? Date.now() - Date.parse(status.started_at) : 0;
          bar.update({
            elapsedMs: elapsed,
            expectedMs: status.eta_ms === null ? 0 : elapsed + status.eta_ms,
            fraction: status.progress,
            stage: status.stage,
          });
        } else {
          bar?.stop();
          bar = undefined;
          output.note(describeStatus(status));
        }
      }
    } finally {
      bar?.stop();
    }
    if (!last) throw new CommandError(`No status received for ${queueId}`, EXIT.unexpected, 'unexpected');
    output.result(`${last.queue_id} (${last.model}): ${describeStatus(last)}`, last);
    return exitFor(last);
  },
};
