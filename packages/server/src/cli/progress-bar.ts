import { formatDuration } from './table.js';

/** What the server last said about a running job. */
export interface ProgressReport {
  /** Milliseconds since the job was queued. */
  readonly elapsedMs: number;
  /** The model's P80 total time in milliseconds (`average_execution_time`); 0 when unknown. */
  readonly expectedMs: number;
  /** A known fraction 0..1 (from the status route), when there is one. */
  readonly fraction?: number;
  /** A stage name to show, when known. */
  readonly stage?: string | null;
  /** The server's estimate of the milliseconds left at the time of the report, when it gave one. */
  readonly etaMs?: number | null;
  /** Jobs ahead of this one (0-based) while it waits in the queue. */
  readonly queuePosition?: number | null;
}

const WIDTH = 28;

/**
 * A one-line progress bar with an ETA on a terminal stream. With the server's progress and ETA
 * (the status stream) it shows them, the ETA counting down between reports; without them it
 * extrapolates the elapsed time against the expected time, capped at 99 % until the job is done.
 */
export class ProgressBar {
  private report: ProgressReport = { elapsedMs: 0, expectedMs: 0 };
  private reportedAt = Date.now();
  private readonly timer: NodeJS.Timeout;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
  ) {
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  /** Take a new report from the server. */
  update(report: ProgressReport): void {
    this.report = report;
    this.reportedAt = Date.now();
    this.draw();
  }

  /** The current line (exported for tests and for non-terminal callers). */
  line(now = Date.now()): string {
    const { expectedMs, fraction: known, stage, etaMs, queuePosition } = this.report;
    const since = now - this.reportedAt;
    const elapsed = this.report.elapsedMs + since;
    const fraction = known ?? (expectedMs > 0 ? Math.min(0.99, elapsed / expectedMs) : 0);
    const filled = Math.round(fraction * WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
    const left = etaMs !== undefined && etaMs !== null ? etaMs - since : expectedMs > 0 ? expectedMs - elapsed : undefined;
    const eta =
      fraction >= 1
        ? 'done'
        : left === undefined
          ? `${formatDuration(elapsed)} elapsed`
          : left > 0
            ? `ETA ${formatDuration(left)}`
            : 'finishing';
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    const waiting = queuePosition !== undefined && queuePosition !== null ? `  queued, position ${queuePosition + 1}` : '';
    return `${this.label} [${bar}] ${percent}  ${eta}${waiting}${stage ? `  ${stage}` : ''}`;
  }

  private draw(): void {
    const columns = this.stream.columns || 80;
    this.stream.write(`\r${this.line().slice(0, columns - 1)}\u001b[K`);
    this.drawn = true;
  }

  /** Stop ticking and clear the line. */
  stop(): void {
    clearInterval(this.timer);
    if (this.drawn) this.stream.write('\r\u001b[K');
  }
}
