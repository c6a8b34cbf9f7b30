import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { workerHealthOf } from '../../src/app/worker-health.js';
import { startWorkerHealthServer, type WorkerHealthSources } from '../../src/http/worker-health-server.js';
import { startTestApp } from '../support/test-app.js';

const urlOf = (server: Server, path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

/** Sources of a process whose store answers unless `storeDown`, with one instance up. */
function sourcesOf(storeDown: boolean): WorkerHealthSources {
  return {
    role: 'worker',
    probeStore: () => (storeDown ? Promise.reject(new Error('store down')) : Promise.resolve(1)),
    activeJobs: () => 2,
    engineHealth: () => ({
      engines: [{ name: 'tone', adapter: 'tone', up: true, circuit: 'closed', in_flight: 2, concurrency: 4, errors: 0 }],
      unavailable_models: [],
    }),
    metrics: { contentType: 'text/plain; version=0.0.4', render: async () => 'overture_worker_jobs_running 2\n' },
    metricsToken: undefined,
  };
}

test('the worker health server answers /healthz from its sources: 200 while the store answers, 503 when not', async () => {
  for (const storeDown of [false, true]) {
    const health = await startWorkerHealthServer(sourcesOf(storeDown), 0, '127.0.0.1');
    try {
      const response = await fetch(urlOf(health, '/healthz'));
      const body = await response.json();
      assert.equal(response.status, storeDown ? 503 : 200);
      assert.equal(body.status, storeDown ? 'unavailable' : 'ok');
      assert.equal(body.engines[0].name, 'tone', 'the instances either way');
      if (!storeDown) assert.deepEqual([body.role, body.active_jobs], ['worker', 2]);
      assert.equal((await fetch(urlOf(health, '/metrics'))).status, 200, 'no token set: /metrics is open');
      assert.equal((await fetch(urlOf(health, '/readyz'))).status, 404, 'nothing else is exposed');
    } finally {
      await new Promise((resolve) => health.close(resolve));
    }
  }
});

test("a worker's /metrics wants the metrics token when one is set", async () => {
  const token = 'metrics-token-0123456789';
  const t = await startTestApp({ env: { OVERTURE_ROLE: 'worker', OVERTURE_METRICS_TOKEN: token } });
  const health = await startWorkerHealthServer(workerHealthOf(t.app), 0, '127.0.0.1');
  try {
    const { port } = health.address() as AddressInfo;
    const scrape = (key?: string) => fetch(`http://127.0.0.1:${port}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    for (const key of [undefined, 'metrics-token-wrong-456789']) {
      const refused = await scrape(key);
      assert.equal(refused.status, 401);
      assert.equal(typeof (await refused.json()).error, 'string', "the contract's error shape");
    }
    const allowed = await scrape(token);
    assert.equal(allowed.status, 200);
    assert.match(await allowed.text(), /^overture_worker_jobs_running 0$/m);
  } finally {
    await new Promise((resolve) => health.close(resolve));
    await t.close();
  }
});
