import type { MediaStore } from '../ports/media-store.js';
import type { ReapOptions } from '../ports/store/housekeeping-store.js';
import type { Store } from '../ports/store/store.js';

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Housekeeping on a timer: lost leases, retention expiry, orphaned holds, then deletion of media
 * that is marked deleted, and of partial media writes a crash abandoned. Idempotent and safe to
 * run in every process at once.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastSweep = Number.NEGATIVE_INFINITY;

  /**
   * `abandonedPartialMs`: a partial media write untouched this long belongs to no live writer
   * (longer than any attempt or request may run) and is deleted, at most once a minute.
   */
  constructor(
    private readonly store: Pick<Store, 'housekeeping'>,
    private readonly media: MediaStore,
    private readonly now: () => number,
    private readonly options: ReapOptions & { readonly abandonedPartialMs: number },
    private readonly log: { error(object: object, message: string): void },
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** One pass; concurrent calls share the pass in flight. */
  runOnce(): Promise<void> {
    this.running ??= this.pass()
      .catch((error) => this.log.error({ err: error }, 'reaper pass failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const { forgottenMedia } = await this.store.housekeeping.reap(this.now(), this.options);
    for (const key of forgottenMedia) await this.media.delete(key);
    for (const item of await this.store.housekeeping.listMediaToPurge(100)) {
      await this.media.delete(item.mediaKey);
      await this.store.housekeeping.markMediaPurged(item.jobId);
    }
    const now = this.now();
    if (this.media.sweepPartials && now - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      await this.media.sweepPartials(now - this.options.abandonedPartialMs);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
