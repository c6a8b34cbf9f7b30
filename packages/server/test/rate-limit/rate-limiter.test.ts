import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RateLimiter } from '../../src/ports/rate-limiter.js';
import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { RedisRateLimiter, randomRatePrefix } from '../../src/rate-limit/redis-rate-limiter.js';

const REDIS_URL = process.env.OVERTURE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const T0 = 1_800_000_000_000; // a multiple of every window used below

/**
 * The rate-limiter conformance suite. `open` returns limiters that share their counters when the
 * adapter `shares` them (Redis); a per-process adapter (memory) gives independent ones.
 */
function runRateLimiterConformance(name: string, open: () => RateLimiter, shares: boolean) {
  describe(`Rate limiter conformance: ${name}`, () => {
    test('a fixed window lets `limit` hits through, then refuses until it resets', async () => {
      const limiter = open();
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await limiter.hit('k1:queue', 3, 1000, T0 + 10 * i));
      assert.deepEqual(
        decisions.map((decision) => decision.allowed),
        [true, true, true, false, false],
      );
      assert.deepEqual(
        decisions.map((decision) => decision.remaining),
        [2, 1, 0, 0, 0],
      );
      assert.equal(decisions[0]?.resetMs, 1000);
      assert.equal(decisions[4]?.resetMs, 960);
      assert.equal((await limiter.hit('k1:queue', 3, 1000, T0 + 1000)).allowed, true, 'the next window starts fresh');
      assert.equal((await limiter.hit('k2:queue', 3, 1000, T0 + 10)).allowed, true, 'buckets are independent');
      await limiter.close?.();
    });

    test('concurrent hits never let more than the limit through', async () => {
      const limiter = open();
      const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.hit('burst', 20, 60_000, T0 + 5)));
      assert.equal(decisions.filter((decision) => decision.allowed).length, 20);
      await limiter.close?.();
    });

    test(shares ? 'two limiters (two processes) share one window' : 'two limiters count on their own', async () => {
      const [first, second] = [open(), open()];
      const decisions = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? first : second).hit('shared', 10, 60_000, T0 + 7)));
      assert.equal(decisions.filter((decision) => decision.allowed).length, shares ? 10 : 20);
      await Promise.all([first.close?.(), second.close?.()]);
    });
  });
}

runRateLimiterConformance('memory', () => new MemoryRateLimiter(), false);

// One prefix per run: every limiter of this run shares it; parallel runs never meet.
const prefix = randomRatePrefix();
runRateLimiterConformance('redis', () => new RedisRateLimiter({ url: REDIS_URL, prefix }), true);

test('redis: windows expire in Redis, and a dead Redis falls back to limiting in-process', async () => {
  const limiter = new RedisRateLimiter({ url: REDIS_URL, prefix: randomRatePrefix() });
  const now = Date.now();
  await limiter.hit('ttl', 5, 200, now);
  await new Promise((resolve) => setTimeout(resolve, 1400));
  assert.equal((await limiter.hit('ttl', 5, 200, now)).remaining, 4, 'the old window key expired (window + 1 s)');
  await limiter.close();
  const errors: unknown[] = [];
  const dead = new RedisRateLimiter({ url: 'redis://127.0.0.1:1', onError: (error) => errors.push(error) });
  const decisions = [];
  for (let i = 0; i < 4; i++) decisions.push(await dead.hit('x', 2, 60_000, T0));
  assert.deepEqual(
    decisions.map((decision) => decision.allowed),
    [true, true, false, false],
  );
  assert.ok(errors.length > 0);
  await dead.close();
});
