import type { MediaStore } from '../ports/media-store.js';
import type { ReapOptions, Store } from '../ports/store-port.js';

/**
 * Housekeeping on a timer: lost leases, retention expiry, orphaned holds, then deletion of media
 * that is marked deleted. Idempotent and safe to run in every process at once.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly media: MediaStore,
    private readonly now: () => number,
    private readonly options: ReapOptions,
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
    const { forgottenMedia } = await this.store.reap(this.now(), this.options);
    for (const key of forgottenMedia) await this.media.delete(key);
    for (const item of await this.store.listMediaToPurge(100)) {
      await this.media.delete(item.mediaKey);
      await this.store.markMediaPurged(item.jobId);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
