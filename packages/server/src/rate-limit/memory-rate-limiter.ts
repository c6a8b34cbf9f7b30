import type { RateDecision, RateLimiter } from '../ports/rate-limiter.js';

/** Fixed-window counters in this process's memory; stale windows are swept as they are met. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  async hit(bucket: string, limit: number, windowMs: number, now: number): Promise<RateDecision> {
    const start = now - (now % windowMs);
    let window = this.windows.get(bucket);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(bucket, window);
    }
    this.sweep(now, windowMs);
    const allowed = window.count < limit;
    if (allowed) window.count++;
    return { allowed, limit, remaining: Math.max(0, limit - window.count), resetMs: start + windowMs - now };
  }

  private sweep(now: number, windowMs: number) {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [bucket, window] of this.windows) if (window.start + windowMs <= now) this.windows.delete(bucket);
  }
}
