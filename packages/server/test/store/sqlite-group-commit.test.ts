import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { SqliteGroupCommit } from '../../src/store/sqlite/sqlite-group-commit.js';

/** A disk whose fsyncs finish when the test says so (it stands for the operating system). */
function heldDisk() {
  const waiting: (() => void)[] = [];
  let relaxed = 0;
  return {
    durability: {
      withoutSync<T>(work: () => T): T {
        relaxed++;
        return work();
      },
      sync: () => new Promise<void>((resolve) => waiting.push(resolve)),
    },
    finishSyncs: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
    pendingSyncs: () => waiting.length,
    relaxedCommits: () => relaxed,
  };
}

function database() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v INTEGER NOT NULL UNIQUE)');
  return db;
}

const rows = (db: Database.Database) => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

test('a group is acknowledged only after its fsync, while the next group commits meanwhile', async () => {
  const db = database();
  const disk = heldDisk();
  const group = new SqliteGroupCommit(db, disk.durability);
  const insert = (v: number) => group.run<number>(() => db.prepare('INSERT INTO t VALUES (?)').run(v).changes);
  const acknowledged: number[] = [];
  const first = [insert(1), insert(2)].map((write, index) => write.then(() => acknowledged.push(index + 1)));
  await nextTurn();
  assert.equal(rows(db), 2, 'committed');
  assert.equal(acknowledged.length, 0, 'not acknowledged before the fsync');
  const second = insert(3).then(() => acknowledged.push(3));
  await nextTurn();
  assert.equal(rows(db), 3, 'the next group committed without waiting');
  assert.equal(disk.pendingSyncs(), 2);
  assert.equal(disk.relaxedCommits(), 2);
  disk.finishSyncs();
  await Promise.all([...first, second]);
  assert.deepEqual(acknowledged.sort(), [1, 2, 3]);
});

test('a failed write is refused alone; a failed fsync refuses its whole group; drain waits for fsyncs', async () => {
  const db = database();
  const disk = heldDisk();
  const group = new SqliteGroupCommit(db, disk.durability);
  const insert = (v: number) => group.run<number>(() => db.prepare('INSERT INTO t VALUES (?)').run(v).changes);
  const outcomes = Promise.allSettled([insert(1), insert(1), insert(2)]);
  await nextTurn();
  let drained = false;
  const drain = group.drain().then(() => (drained = true));
  await nextTurn();
  assert.equal(drained, false, 'drain waits for the fsync');
  disk.finishSyncs();
  await drain;
  assert.deepEqual(
    (await outcomes).map((outcome) => outcome.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  const failing = new SqliteGroupCommit(db, { ...disk.durability, sync: async () => Promise.reject(new Error('EIO')) });
  const refused = await Promise.allSettled([failing.run(() => 1), failing.run(() => 2)]);
  assert.deepEqual(
    refused.map((outcome) => outcome.status),
    ['rejected', 'rejected'],
  );
});

test('committed callbacks run at commit, before the fsync acknowledges, and only for writes that succeeded', async () => {
  const db = database();
  const disk = heldDisk();
  const group = new SqliteGroupCommit(db, disk.durability);
  const seen: string[] = [];
  const insert = (v: number) =>
    group.run<number>(
      () => db.prepare('INSERT INTO t VALUES (?)').run(v).changes,
      (changes) => seen.push(`committed ${v} (${changes} row, ${rows(db)} visible)`),
    );
  const writes = Promise.allSettled(
    [insert(1), insert(1), insert(2)].map((write, index) => write.then(() => seen.push(`acknowledged ${index}`))),
  );
  await nextTurn();
  assert.deepEqual(seen, ['committed 1 (1 row, 2 visible)', 'committed 2 (1 row, 2 visible)'], 'the duplicate is not announced');
  disk.finishSyncs();
  await writes;
  assert.deepEqual(seen.slice(2), ['acknowledged 0', 'acknowledged 2']);
});
