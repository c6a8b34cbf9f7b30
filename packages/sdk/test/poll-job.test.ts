import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RetrieveCompleted, RetrieveResult } from '../src/audio-types.js';
import { RateLimitError } from '../src/errors.js';
import { pollUntilReady, rateLimitOf, rateLimitPaceMs } from '../src/poll-job.js';

const done = { status: 'COMPLETED' } as RetrieveCompleted;
const processing = (remaining = 100): RetrieveResult => ({
  status: 'PROCESSING',
  averageExecutionTime: 1000,
  executionDuration: 10,
  rateLimit: { limit: 120, remaining, resetSeconds: 1 },
});
const body = { model: 'm', queue_id: 'q' };
const timeout = () => new Error('timeout');

test('the contract rate-limit headers are read; the pace slows only when the budget runs low', () => {
  const headers = new Headers({
    'x-ratelimit-limit-requests': '120',
    'x-ratelimit-remaining-requests': '7',
    'x-ratelimit-reset-requests': '30',
  });
  assert.deepEqual(rateLimitOf(headers), { limit: 120, remaining: 7, resetSeconds: 30 });
  assert.equal(rateLimitOf(new Headers()), undefined);
  assert.equal(rateLimitPaceMs({ limit: 120, remaining: 100, resetSeconds: 30 }), 0);
  assert.equal(rateLimitPaceMs({ limit: 120, remaining: 10, resetSeconds: 30 }), 3000);
  assert.equal(rateLimitPaceMs({ limit: 120, remaining: 0, resetSeconds: 30 }), 30_000, 'nothing left: wait for the reset');
  assert.equal(rateLimitPaceMs(undefined), 0);
});

test('polling reports each PROCESSING answer and returns the audio', async () => {
  const answers = [processing(), processing(), done];
  const reports: number[] = [];
  const result = await pollUntilReady(async () => answers.shift() as RetrieveResult, body, {
    polling: { firstDelayMs: 1, multiplier: 2, maxDelayMs: 4 },
    onTimeout: timeout,
    onPoll: (report) => reports.push(report.executionDuration),
  });
  assert.equal(result, done);
  assert.deepEqual(reports, [10, 10]);
});

test("a 429 waits at least its Retry-After; a low budget waits for the window's pace", async () => {
  const calls: number[] = [];
  const answers: (() => RetrieveResult)[] = [
    () => {
      throw new RateLimitError('Rate limit exceeded', { status: 429, retryAfter: 0.15 });
    },
    () => processing(1),
    () => done,
  ];
  await pollUntilReady(
    async () => {
      calls.push(performance.now());
      return (answers.shift() as () => RetrieveResult)();
    },
    body,
    { polling: { firstDelayMs: 0, multiplier: 1, maxDelayMs: 1 }, onTimeout: timeout },
  );
  assert.equal(calls.length, 3);
  assert.ok((calls[1] as number) - (calls[0] as number) >= 140, 'Retry-After honoured');
  assert.ok((calls[2] as number) - (calls[1] as number) >= 980, 'one request left in a 1 s window: wait for it');
});

test('past the deadline the poller throws what onTimeout gives', async () => {
  await assert.rejects(
    pollUntilReady(async () => processing(), body, {
      polling: { firstDelayMs: 5, multiplier: 1, maxDelayMs: 5 },
      deadline: Date.now() + 30,
      onTimeout: timeout,
    }),
    /timeout/,
  );
});

test('an abort stops the wait', async () => {
  const controller = new AbortController();
  const polling = pollUntilReady(async () => processing(), body, {
    polling: { firstDelayMs: 60_000 },
    signal: controller.signal,
    onTimeout: timeout,
  });
  controller.abort();
  await assert.rejects(polling, { name: 'AbortError' });
});
