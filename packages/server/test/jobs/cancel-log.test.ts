import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptedAppOptions } from '../support/bound-catalog.js';
import { startTestApp, waitForMedia } from '../support/test-app.js';

/** A pino line, as the app writes it. */
type Line = { level: number; msg: string; err?: unknown; jobId?: string; [field: string]: unknown };

test('a job logs one info line per transition: queued, started, finished with engine, attempt, outcome and ms', async () => {
  const lines: string[] = [];
  const t = await startTestApp({ env: { LOG_LEVEL: 'info' }, parts: { logStream: { write: (line) => void lines.push(line) } } });
  try {
    const model = 'overture-sketch';
    const queued = await t.request('POST', '/api/v1/audio/queue', { model, prompt: 'soft chords', duration_seconds: 1 });
    assert.equal(queued.statusCode, 200);
    const { queue_id } = queued.json();
    await waitForMedia(t, model, queue_id);
    const logged = lines.map((line) => JSON.parse(line) as Line).filter((line) => line.jobId === queue_id);
    // The store's own wake-up may start the job before the queue service logs it as queued.
    const byMessage = (msg: string) => logged.find((line) => line.msg === msg);
    const [queuedLine, started, finished] = [byMessage('job queued'), byMessage('job started'), byMessage('job finished')];
    assert.deepEqual(logged.map((line) => line.msg).sort(), ['job finished', 'job queued', 'job started']);
    assert.equal(logged.at(-1), finished);
    assert.ok(logged.every((line) => line.level === 30 && line.model === model));
    assert.deepEqual([queuedLine?.attempt, started?.attempt, finished?.attempt], [0, 1, 1], 'no attempt yet, then the first');
    assert.equal(queuedLine?.engine, 'tone', 'the route');
    assert.equal(started?.engine, 'tone', 'the instance');
    assert.equal(finished?.outcome, 'done');
    assert.equal(typeof finished?.ms, 'number');
  } finally {
    await t.close();
  }
});

test("a user's cancel of a running job is logged at info, with no error or stack", async () => {
  const lines: string[] = [];
  const { scripted, options } = scriptedAppOptions(
    'overture-cancel-log-',
    { picks: (model) => model.id === 'overture-sketch' },
    { env: { OVERTURE_EXTENSIONS: 'true' }, log: lines },
  );
  const t = await startTestApp(options);
  try {
    scripted.script.a = ['wait'];
    const model = 'overture-sketch';
    const { queue_id } = (await t.request('POST', '/api/v1/audio/queue', { model, prompt: 'soft chords', duration_seconds: 1 })).json();
    for (let i = 0; i < 2000 && scripted.waitingCount() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(scripted.waitingCount(), 1, 'the job runs');
    const cancelled = (await t.request('POST', '/api/v1/audio/cancel', { model, queue_id })).json();
    assert.equal(cancelled.was, 'running');
    for (let i = 0; i < 2000 && t.app.pool?.active !== 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(t.app.pool?.active, 0, 'the attempt ended');
    const logged = lines.map((line) => JSON.parse(line) as Line);
    assert.deepEqual(
      logged.filter((line) => line.level >= 40),
      [],
      'nothing at warn or error',
    );
    const stopped = logged.find((line) => line.msg === 'job finished');
    assert.equal(stopped?.level, 30, 'logged at info');
    assert.equal(stopped?.err, undefined, 'no error or stack');
    assert.equal(stopped?.outcome, 'cancelled');
    assert.deepEqual(
      logged
        .filter((line) => line.jobId === queue_id)
        .map((line) => line.msg)
        .sort(),
      ['job cancelled', 'job finished', 'job queued', 'job started'],
      'one line per transition',
    );
    assert.equal(logged.find((line) => line.msg === 'job cancelled')?.level, 30);
  } finally {
    await t.close();
  }
});
