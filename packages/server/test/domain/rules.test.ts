import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContentPolicy } from '../../src/domain/content-policy.js';
import { canTransition, isPending, retryBackoffMs } from '../../src/domain/job-state.js';
import { percentile } from '../../src/domain/percentile.js';
import { epochOf, nextEpochStart } from '../../src/domain/currency.js';

test('job states move only along the state machine', () => {
  assert.ok(canTransition('queued', 'running'));
  assert.ok(canTransition('running', 'queued'), 'a lost lease requeues');
  assert.ok(!canTransition('done', 'running'));
  assert.ok(!canTransition('failed', 'done'));
  assert.ok(isPending('queued') && isPending('running') && !isPending('done'));
  assert.deepEqual(
    [1, 2, 3, 10].map((attempt) => retryBackoffMs(attempt)),
    [1000, 2000, 4000, 60_000],
  );
});

test('P80 by nearest rank', () => {
  assert.equal(percentile([], 80), undefined);
  assert.equal(percentile([5], 80), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 80), 8);
});

test('DIEM epochs are UTC days', () => {
  const now = Date.parse('2026-11-24T23:59:59Z');
  assert.equal(epochOf('diem', now), '2026-11-24');
  assert.equal(epochOf('usd', now), '');
  assert.equal(nextEpochStart(now).toISOString(), '2026-11-25T00:00:00.000Z');
});

test('content policy matches whole words and suggests a rewrite', () => {
  const check = createContentPolicy([{ name: 'weapons', terms: ['bomb making instructions'] }]);
  assert.equal(check({ prompt: 'an upbeat pop song about summer' }), undefined);
  const hit = check({ prompt: 'epic song with bomb making instructions and a big chorus' });
  assert.equal(hit?.rule, 'weapons');
  assert.equal(hit?.suggestedPrompt, 'epic song with and a big chorus');
  assert.equal(check({ prompt: 'fine', lyrics_prompt: 'BOMB MAKING INSTRUCTIONS' })?.field, 'lyrics_prompt');
  assert.equal(check({ prompt: 'xbomb making instructionsx' }), undefined, 'not inside other words');
});
