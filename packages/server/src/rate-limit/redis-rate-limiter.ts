import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RateDecision, RateLimiter } from '../ports/rate-limiter.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';

/** Count one hit in the window's key; the first hit sets its expiry. One round trip, atomic. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** Options of the Redis rate limiter. */
export interface RedisRateLimiterOptions {
  /** `redis://[user:password@]host:port[/db]` */
  readonly url: string;
  /** Prepended to every key, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  /** Told when Redis fails; the hit is then counted in this process alone. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Fixed windows shared by every API process: each (bucket, window) is one Redis counter, bumped
 * by a Lua script (INCR, and PEXPIRE on the first hit) so the limit holds across the fleet.
 * Windows start at multiples of the window length on the wall clock, so processes agree on them
 * as long as their clocks do. When Redis cannot answer, the process limits on its own.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly fallback = new MemoryRateLimiter();

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', (error) => options.onError?.(error));
    this.redis.defineCommand('overtureHit', { numberOfKeys: 1, lua: HIT });
    this.prefix = options.prefix ?? 'overture:rate:';
  }

  async hit(bucket: string, limit: number, windowMs: number, now: number): Promise<RateDecision> {
    const start = now - (now % windowMs);
    const resetMs = start + windowMs - now;
    let count: number;
    try {
      const hit = (this.redis as unknown as { overtureHit(key: string, ttl: number): Promise<number> }).overtureHit;
      count = Number(await hit.call(this.redis, `${this.prefix}${bucket}:${start}`, windowMs + 1000));
    } catch (error) {
      this.options.onError?.(error);
      return this.fallback.hit(bucket, limit, windowMs, now);
    }
    return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs };
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

/** A random key prefix, for test runs sharing one Redis. */
export const randomRatePrefix = (): string => `overture-test:${randomBytes(6).toString('hex')}:`;
