/**
 * What a start has opened so far (engine threads, store, media store, rate limiter): when a later
 * step fails, everything already opened is closed, newest first, and the step's error is thrown,
 * so a start that fails leaves nothing running (no threads, connections or timers).
 */
export class OpenedResources {
  private readonly closers: (() => unknown)[] = [];

  /** Remember how to close what was just opened. */
  add(close: () => unknown): void {
    this.closers.push(close);
  }

  /** Run one step of the start; when it fails, close everything opened so far and throw its error. */
  async step<T>(run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      await this.closeAll();
      throw error;
    }
  }

  /** Close everything, newest first; a close that fails does not stop the others (the step's error is the one reported). */
  async closeAll(): Promise<void> {
    for (let close = this.closers.pop(); close; close = this.closers.pop())
      await Promise.resolve()
        .then(close)
        .catch(() => undefined);
  }
}
