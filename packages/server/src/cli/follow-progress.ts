import type { JobProgress } from '@overture/sdk';
import { elapsedAgainstExpected, stateParts } from './job-status-text.js';
import type { Output } from './output.js';
import { type ProgressReport, ProgressBar } from './progress-bar.js';
import { formatDuration } from './table.js';

/** What a progress bar should show for one report of `generate()` / `audio.follow()`. */
export function progressReport(progress: JobProgress): ProgressReport {
  const { elapsedMs, expectedMs, fraction } = progress;
  // Polling knows only elapsed and expected times: the bar extrapolates those until the audio is ready.
  if (progress.source === 'poll' && fraction < 1) return { elapsedMs, expectedMs };
  return { elapsedMs, expectedMs, fraction, stage: progress.stage, etaMs: progress.etaMs, queuePosition: progress.queuePosition };
}

/** One human line for a report, for output without a terminal (a log, a pipe). */
export function describeProgress(progress: JobProgress): string {
  if (progress.source === 'poll') return `processing: ${elapsedAgainstExpected(progress.elapsedMs, progress.expectedMs)}`;
  const parts = stateParts(progress.state, progress.fraction, progress.stage, progress.queuePosition);
  if (progress.etaMs !== null && progress.state !== 'done') parts.push(`ETA ${formatDuration(progress.etaMs)}`);
  return parts.join(' · ');
}

/** Shows a job's progress: a live bar on a terminal, else a note whenever the state or stage changes. */
export class FollowProgress {
  private bar: ProgressBar | undefined;
  private lastNote = '';

  constructor(
    private readonly output: Output,
    private readonly label: string,
  ) {}

  /** Take a report from `onProgress`. */
  update(progress: JobProgress): void {
    if (this.output.live) {
      this.bar ??= new ProgressBar(this.output.terminal.stderr, this.label);
      this.bar.update(progressReport(progress));
      return;
    }
    if (progress.fraction >= 1) return;
    const key = progress.source === 'poll' ? 'processing' : `${progress.state} ${progress.stage ?? ''} ${progress.queuePosition ?? ''}`;
    if (key === this.lastNote) return;
    this.lastNote = key;
    this.output.note(describeProgress(progress));
  }

  /** Stop the bar (clearing its line). */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
