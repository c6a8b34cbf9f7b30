import { type FileHandle, open } from 'node:fs/promises';

/**
 * Makes commits durable off the event loop. A transaction committed with synchronous=NORMAL is in
 * the write-ahead log but maybe not on disk; once `sync()` resolves (an fdatasync of the log on
 * libuv's thread pool) it is, exactly as if it had been committed with synchronous=FULL. The log
 * is written in order, so a crash before the sync loses this commit and everything after it,
 * never a piece. The event loop keeps parsing and committing the next group while the disk works.
 */
export class SqliteWalSync {
  private handle: Promise<FileHandle> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /**
   * Resolves when everything committed before the call is on disk. One fdatasync runs at a time:
   * callers that arrive while one runs (it may have started before their commit) share the next.
   */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.flush().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.sync();
      });
    return this.next;
  }

  private async flush(): Promise<void> {
    this.handle ??= open(this.walPath, 'r');
    try {
      await (await this.handle).datasync();
    } catch (error) {
      this.handle = undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }
}
