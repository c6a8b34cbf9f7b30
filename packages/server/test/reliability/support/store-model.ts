import assert from 'node:assert/strict';
import { retryBackoffMs } from '../../../src/domain/job-state.js';
import { micros } from '../../../src/domain/money.js';
import type { Store } from '../../../src/ports/store/store.js';

/** One operation of the model-based test. */
export type StoreOp =
  | { readonly kind: 'enqueue'; readonly account: number; readonly price: number }
  | { readonly kind: 'claim'; readonly limit: number }
  | { readonly kind: 'complete' | 'fail' | 'return' | 'renew'; readonly job: number; readonly stale: boolean; readonly retryable: boolean }
  | { readonly kind: 'cancel'; readonly job: number }
  | { readonly kind: 'reap'; readonly advanceMs: number };

interface ModelJob {
  readonly id: string;
  readonly account: number;
  readonly price: number;
  state: string;
  attempt: number;
  token: string | null;
  oldTokens: string[];
  leaseUntil: number;
  expiresAt: number;
}

export const LEASE = 1000;
const MAX_ATTEMPTS = 2;

/**
 * The reference model of the Store's job and money rules: what each operation must answer and
 * how it changes jobs and balances. `apply` runs an operation on both and compares.
 */
export class StoreModel {
  readonly jobs: ModelJob[] = [];
  now: number;

  constructor(
    private readonly store: Store,
    private readonly accounts: readonly { id: string; keyId: string; grant: number }[],
    start: number,
  ) {
    this.now = start;
  }

  private committed(account: number, states: readonly string[]): number {
    return this.jobs.filter((job) => job.account === account && states.includes(job.state)).reduce((sum, job) => sum + job.price, 0);
  }

  async apply(op: StoreOp): Promise<void> {
    const { store } = this;
    if (op.kind === 'enqueue') {
      const owner = this.accounts[op.account]!;
      const available = owner.grant - this.committed(op.account, ['queued', 'running', 'done', 'expired']);
      const id = crypto.randomUUID();
      const request = {
        prompt: 'p',
        forceInstrumental: false,
        lyricsOptimizer: false,
        loop: false,
        speed: 1,
        format: 'wav' as const,
        characterCount: 1,
      };
      const outcome = await store.jobs.enqueue(
        { id, accountId: owner.id, keyId: owner.keyId, modelId: 'm', engine: 'e', request, maxAttempts: MAX_ATTEMPTS },
        { usd: micros(op.price), diem: micros(op.price) },
        this.now,
      );
      assert.equal(outcome.ok, available >= op.price, `enqueue ${op.price} with ${available} available`);
      if (outcome.ok)
        this.jobs.push({
          id,
          account: op.account,
          price: op.price,
          state: 'queued',
          attempt: 0,
          token: null,
          oldTokens: [],
          leaseUntil: 0,
          expiresAt: 0,
        });
      return;
    }
    if (op.kind === 'claim') {
      const eligible = this.jobs.filter((job) => job.state === 'queued' && job.leaseUntil <= this.now);
      const claimed = await store.leases.claimJobs('e', op.limit, LEASE, this.now);
      assert.equal(claimed.length, Math.min(op.limit, eligible.length), 'claims every runnable job up to the limit');
      for (const record of claimed) {
        const job = this.jobs.find((candidate) => candidate.id === record.id);
        assert.ok(job && eligible.includes(job), 'only runnable jobs are claimed');
        job.state = 'running';
        job.attempt++;
        if (job.token) job.oldTokens.push(job.token);
        job.token = record.leaseToken;
        job.leaseUntil = this.now + LEASE;
        assert.equal(record.attempt, job.attempt);
      }
      return;
    }
    if (op.kind === 'reap') {
      this.now += op.advanceMs;
      await store.housekeeping.reap(this.now, { orphanHoldMs: 600_000, expiringNoticeMs: 0 });
      for (const job of this.jobs) {
        if (job.state === 'running' && job.leaseUntil < this.now) this.requeueOrFail(job, true, this.now + retryBackoffMs(job.attempt));
        else if (job.state === 'done' && job.expiresAt <= this.now) job.state = 'expired';
      }
      return;
    }
    const running = this.jobs.filter((candidate) => candidate.state === 'running');
    const fresh = op.kind !== 'cancel' && !op.stale && running.length > 0;
    const job = fresh ? running[op.job % running.length] : this.jobs[op.job % Math.max(1, this.jobs.length)];
    if (!job) return;
    if (op.kind === 'cancel') {
      const outcome = await store.jobs.cancelJob(this.accounts[job.account]!.id, job.id, this.now);
      const live = job.state === 'queued' || job.state === 'running';
      assert.equal(outcome?.outcome, live ? 'cancelled' : 'final');
      if (live) this.retire(job, 'cancelled');
      return;
    }
    const token = op.stale ? (job.oldTokens[0] ?? crypto.randomUUID()) : (job.token ?? crypto.randomUUID());
    const current = job.state === 'running' && token === job.token;
    if (op.kind === 'complete') {
      const expiresAt = this.now + 5000;
      const done = await store.leases.completeJob(
        job.id,
        token,
        { mediaKey: `${job.id}-1.wav`, mediaBytes: 10, durationSeconds: 1, inferenceMs: 1, expiresAt },
        this.now,
      );
      assert.equal(done, current, 'complete is fenced by the current lease token');
      if (done) {
        this.retire(job, 'done');
        job.expiresAt = expiresAt;
      }
    } else if (op.kind === 'fail') {
      const outcome = await store.leases.failJob(
        job.id,
        token,
        { status: 500, body: { error: 'x' }, retryable: op.retryable, retryAt: this.now + 10 },
        this.now,
      );
      const expected = !current ? 'stale' : op.retryable && job.attempt < MAX_ATTEMPTS ? 'requeued' : 'failed';
      assert.equal(outcome, expected, 'fail is fenced and spends the retry budget');
      if (current) this.requeueOrFail(job, op.retryable, this.now + 10);
    } else if (op.kind === 'return') {
      assert.equal(await store.leases.returnJob(job.id, token), current);
      if (current) {
        this.retire(job, 'queued');
        job.attempt--;
        job.leaseUntil = 0;
      }
    } else {
      assert.equal(await store.leases.renewLease(job.id, token, this.now + LEASE, 0.5, null), current);
      if (current) job.leaseUntil = this.now + LEASE;
    }
  }

  private retire(job: ModelJob, state: string): void {
    job.state = state;
    if (job.token) job.oldTokens.push(job.token);
    job.token = null;
  }

  private requeueOrFail(job: ModelJob, retryable: boolean, runAfter: number): void {
    if (retryable && job.attempt < MAX_ATTEMPTS) {
      this.retire(job, 'queued');
      job.leaseUntil = runAfter; // reused as run_after for queued jobs
    } else this.retire(job, 'failed');
  }

  /** Compare every job's state and every account's balances with the model. */
  async check(): Promise<void> {
    for (const job of this.jobs)
      assert.equal((await this.store.jobs.getJob(this.accounts[job.account]!.id, job.id))?.state, job.state, `job ${job.id}`);
    for (const [index, owner] of this.accounts.entries()) {
      const usd = (await this.store.ledger.getBalance(owner.id, this.now)).usd;
      const held = this.committed(index, ['queued', 'running']);
      const captured = this.committed(index, ['done', 'expired']);
      assert.deepEqual(usd, { available: owner.grant - held - captured, held, captured, granted: owner.grant });
    }
  }
}
