import { type Enqueue, type killWorld, burstAndKill, post } from './kill-requests.js';
import { exactAudit, jobStates } from './exact-money-audit.js';
import { waitForJobsToEnd } from './jobs-ended.js';
import { Prng } from './prng.js';
import { type ServerProcess, setClock } from './server-process.js';
import { auditPostgres, auditSqlite } from './sqlite-audit.js';

/** What a kill run saw, for assertions and the report. */
export interface KillReport {
  readonly kills: number;
  /** Requests still unanswered when a process was killed (summed over kills). */
  readonly inFlightAtKill: number;
  readonly acknowledged: number;
  /** Enqueues whose answer a kill cut off, created (once) by their replay. */
  readonly replayed: number;
  readonly jobs: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One kill scenario over server processes on one data directory: bursts of requests cut off by
 * SIGKILLs, idempotent replays, then a drain (the shared clock moved past leases, backoffs and
 * the orphan sweep) and the audits. Violations collect; the test asserts there are none.
 */
export class KillRun {
  readonly violations: string[] = [];
  private readonly random: Prng;
  private readonly enqueues: Enqueue[] = [];
  private offset = 0;
  private kills = 0;
  private inFlightAtKill = 0;
  private replayed = 0;

  constructor(
    readonly world: ReturnType<typeof killWorld>,
    seed: number,
    /** The inference key of the account the first start created. */
    readonly key: string,
  ) {
    this.random = new Prng(seed);
  }

  /** A burst at `api`; `kill` runs once a quarter of it has been answered. */
  async burst(api: ServerProcess, kill: () => Promise<void>): Promise<void> {
    this.inFlightAtKill += await burstAndKill(api, this.key, this.random, this.enqueues, kill);
    this.kills++;
  }

  /** Enqueue `count` jobs at `api` (acknowledged ones are tracked like a burst's). */
  async enqueue(api: ServerProcess, count: number): Promise<void> {
    await burstAndKill(api, this.key, this.random, this.enqueues, async () => undefined, count, count + 1, true);
  }

  /** Replay every enqueue with its idempotency key: the same job when acknowledged, at most one otherwise. */
  async replay(api: ServerProcess): Promise<void> {
    for (const entry of this.enqueues) {
      const answer = await post(api.port, '/api/v1/audio/queue', entry.body, this.key, { 'idempotency-key': entry.key });
      if (answer?.status !== 200) {
        if (entry.id) this.violations.push(`replay of acknowledged ${entry.key} answered ${answer?.status}`);
        continue;
      }
      const id = (JSON.parse(answer.bytes.toString()) as { queue_id: string }).queue_id;
      if (entry.id && id !== entry.id) this.violations.push(`replay of ${entry.key} made a second job ${id} (was ${entry.id})`);
      if (!entry.id) this.replayed++;
      entry.id = id;
    }
  }

  /** Move the shared clock by `ms`. */
  advance(ms: number): void {
    this.offset += ms;
    setClock(this.world.directory, this.offset);
  }

  /** Jobs by state, read from the database. */
  async states(): Promise<Map<string, string>> {
    return jobStates(this.world.database);
  }

  /**
   * Move the clock until every job has ended (bounded), then past the orphan sweep, and audit:
   * every acknowledged job done or failed (refunded), one job per enqueue, exact money. `worker`,
   * the process that runs the jobs, when there is one apart from the serving one: its exit ends the drain.
   */
  async drainAndAudit(creditedMicros: bigint, worker?: ServerProcess): Promise<KillReport> {
    // Progress-based: a worker restarted on a loaded machine may take a minute before its first claim.
    const stopped = await waitForJobsToEnd(this.world.database, { worker, eachRound: () => this.advance(3000), intervalMs: 300 });
    if (stopped) this.violations.push(`jobs never ended: ${stopped}`);
    // Past the orphan sweep (10 minutes): holds of requests cut off by a kill are released.
    this.advance(11 * 60_000);
    for (let i = 0; i < 100 && (await exactAudit(this.world.database, { quiet: true })).violations.length > 0; i++) await sleep(200);
    const states = await this.states();
    for (const entry of this.enqueues)
      if (entry.id && !['done', 'failed'].includes(states.get(entry.id) ?? 'missing'))
        this.violations.push(`acknowledged job ${entry.id} is ${states.get(entry.id) ?? 'missing'}`);
    const ids = this.enqueues.flatMap((entry) => (entry.id ? [entry.id] : []));
    if (states.size !== ids.length) this.violations.push(`${ids.length} enqueues answered but ${states.size} jobs exist`);
    const { database, directory } = this.world;
    const money = await exactAudit(database, { quiet: true, ended: true });
    const rows = 'sqlite' in database ? await auditSqlite(directory) : await auditPostgres(database.postgres);
    this.violations.push(...money.violations, ...rows.violations);
    if (money.totals.granted !== creditedMicros) this.violations.push(`credited ${money.totals.granted}, not ${creditedMicros}`);
    return { kills: this.kills, inFlightAtKill: this.inFlightAtKill, acknowledged: ids.length, replayed: this.replayed, jobs: money.jobs };
  }
}
