import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildJobStatus, type StatusInput, statusPollMs } from '../../src/domain/job-status.js';
import { micros } from '../../src/domain/money.js';

const policy = { pollMs: 250, finishingPollMs: 40 };
const job: StatusInput = {
  id: '00000000-0000-4000-8000-000000000000',
  modelId: 'overture-music',
  state: 'running',
  attempt: 1,
  progress: 0.2,
  stage: 'render',
  price: micros(50_000),
  currency: 'usd',
  createdAt: 0,
  startedAt: 0,
  finishedAt: null,
  expiresAt: null,
  mediaDeletedAt: null,
  errorStatus: null,
  errorBody: null,
};
const view = (changes: Partial<StatusInput>, p80Ms = 60_000) =>
  buildJobStatus({ ...job, ...changes }, { position: null, p80Ms, concurrency: 1, now: 0 });

test('a status stream reads a job about to finish often, and any other job at the normal pace', () => {
  assert.equal(statusPollMs(view({}), policy), 250, 'early in a long job');
  assert.equal(statusPollMs(view({ progress: 0.8 }), policy), 40, 'past 80 %');
  assert.equal(statusPollMs(view({ progress: 0.5 }, 1_500), policy), 40, 'within a second of its estimated end');
  assert.equal(statusPollMs(view({ state: 'queued', progress: 0 }, 500), policy), 250, 'a queued job waits for a worker first');
  assert.equal(statusPollMs(view({ state: 'done', progress: 1 }), policy), 250, 'a finished job is not re-read');
});
