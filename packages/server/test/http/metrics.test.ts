import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { workerHealthOf } from '../../src/app/worker-health.js';
import { startWorkerHealthServer } from '../../src/http/worker-health-server.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { startTestApp, toneCatalogFile } from '../support/test-app.js';

/** The value of the series written exactly so (`name{labels}`), or undefined. */
const seriesValue = (text: string, series: string) =>
  text
    .split('\n')
    .find((line) => line.startsWith(`${series} `))
    ?.slice(series.length + 1);

const noSources = { openJobs: async () => [], activeJobs: () => 0 };

test('latency histograms render cumulative buckets in seconds per route, method and status class', async () => {
  const metrics = new Metrics({ ...noSources, openJobs: async () => [{ engine: 'tone', state: 'queued', count: 2 }] });
  for (const milliseconds of [3, 7, 7, 400, 400_000]) metrics.observeHttp('/api/v1/audio/quote', 'POST', 200, milliseconds);
  metrics.observeHttp('/api/v1/audio/quote', 'POST', 400, 1);
  metrics.observeHttp('/api/v1/audio/quote', 'POST', 404, 1);
  metrics.observeJob('overture-music', 'music', 'done', 12_000);
  const text = await metrics.render();
  const quote = 'overture_http_request_duration_seconds_bucket{le=';
  const labels = 'route="/api/v1/audio/quote",method="POST",status_class=';
  assert.equal(seriesValue(text, `${quote}"0.005",${labels}"2xx"}`), '1');
  assert.equal(seriesValue(text, `${quote}"0.01",${labels}"2xx"}`), '3');
  assert.equal(seriesValue(text, `${quote}"0.25",${labels}"2xx"}`), '3');
  assert.equal(seriesValue(text, `${quote}"0.5",${labels}"2xx"}`), '4');
  assert.equal(seriesValue(text, `${quote}"60",${labels}"2xx"}`), '4');
  assert.equal(seriesValue(text, `${quote}"+Inf",${labels}"2xx"}`), '5');
  assert.equal(seriesValue(text, `overture_http_request_duration_seconds_count{${labels}"2xx"}`), '5');
  assert.equal(Number(seriesValue(text, `overture_http_request_duration_seconds_sum{${labels}"2xx"}`)), 400.417);
  assert.equal(seriesValue(text, `${quote}"0.001",${labels}"4xx"}`), '2', '400 and 404 share the 4xx class');
  assert.equal(seriesValue(text, 'overture_job_duration_seconds_bucket{le="10",engine="music",outcome="done"}'), '0');
  assert.equal(seriesValue(text, 'overture_job_duration_seconds_bucket{le="30",engine="music",outcome="done"}'), '1');
  assert.equal(seriesValue(text, 'overture_jobs_finished_total{model="overture-music",engine="music",outcome="done"}'), '1');
  assert.equal(seriesValue(text, 'overture_queue_jobs{engine="tone",state="queued"}'), '2');
  assert.match(text, /^process_cpu_seconds_total \d/m, 'the default process metrics');
  assert.match(text, /^nodejs_eventloop_lag_seconds \d/m);
});

test('the queue gauge reads the store at most once a second and keeps emptied routes at 0', async () => {
  let clock = 0;
  let reads = 0;
  let counts = [{ engine: 'tone', state: 'running' as const, count: 3 }];
  const openJobs = async () => {
    reads++;
    return counts;
  };
  const metrics = new Metrics({ ...noSources, routes: ['music'], now: () => clock, openJobs });
  const first = await metrics.render();
  assert.equal(seriesValue(first, 'overture_queue_jobs{engine="tone",state="running"}'), '3');
  assert.equal(seriesValue(first, 'overture_queue_jobs{engine="music",state="queued"}'), '0', "the catalog's routes from the start");
  counts = [];
  assert.equal(seriesValue(await metrics.render(), 'overture_queue_jobs{engine="tone",state="running"}'), '3', 'cached');
  assert.equal(reads, 1);
  clock += 1000;
  assert.equal(seriesValue(await metrics.render(), 'overture_queue_jobs{engine="tone",state="running"}'), '0');
  assert.equal(reads, 2);
});

test('webhook deliveries, upstream cost and running jobs are counted', async () => {
  const metrics = new Metrics({ ...noSources, activeJobs: () => 4 });
  metrics.observeDelivery('delivered');
  metrics.observeDelivery('delivered');
  metrics.observeDelivery('gave_up');
  metrics.observeUpstreamCost('gpu-1', 1500);
  metrics.observeUpstreamCost('gpu-1', 500);
  const text = await metrics.render();
  assert.equal(seriesValue(text, 'overture_webhook_deliveries_total{outcome="delivered"}'), '2');
  assert.equal(seriesValue(text, 'overture_webhook_deliveries_total{outcome="gave_up"}'), '1');
  assert.equal(seriesValue(text, 'overture_upstream_cost_usd_micros_total{engine="gpu-1"}'), '2000');
  assert.equal(seriesValue(text, 'overture_worker_jobs_running'), '4');
});

test('engine instances render as gauges, a circuit state set and an error counter, labelled by instance', async () => {
  const instance = { remote: true, concurrency: 4, inFlight: 0, errors: 0 };
  const metrics = new Metrics({
    ...noSources,
    instances: () => [
      { ...instance, name: 'gpu-1', adapter: 'venice', up: true, circuit: 'closed', inFlight: 3, errors: 2 },
      { ...instance, name: 'gpu-2', adapter: 'openai-speech', up: false, circuit: 'open', errors: 7 },
    ],
  });
  const text = await metrics.render();
  assert.equal(seriesValue(text, 'overture_engine_instance_up{engine="gpu-1",adapter="venice"}'), '1');
  assert.equal(seriesValue(text, 'overture_engine_instance_up{engine="gpu-2",adapter="openai-speech"}'), '0');
  assert.equal(seriesValue(text, 'overture_engine_instance_in_flight{engine="gpu-1"}'), '3');
  assert.equal(seriesValue(text, 'overture_engine_instance_concurrency{engine="gpu-2"}'), '4');
  assert.equal(seriesValue(text, 'overture_engine_circuit_state{engine="gpu-1",state="closed"}'), '1');
  assert.equal(seriesValue(text, 'overture_engine_circuit_state{engine="gpu-1",state="open"}'), '0');
  assert.equal(seriesValue(text, 'overture_engine_circuit_state{engine="gpu-2",state="open"}'), '1');
  assert.equal(seriesValue(text, 'overture_engine_instance_errors_total{engine="gpu-2"}'), '7');
  assert.ok(text.includes('# TYPE overture_engine_instance_errors_total counter\n'));
  assert.ok(text.includes('# TYPE overture_engine_instance_up gauge\n'));
  const none = await new Metrics(noSources).render();
  assert.ok(!/^overture_engine_instance\w*\{/m.test(none), 'no instances, no instance series');
});

test('/metrics, /readyz and the worker health server show each instance; rows with every instance down are unavailable', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-metrics-'));
  // The sketch fails over from `tone` to `tone-b`; sound effects keep their own `effects` instance.
  const catalog = toneCatalogFile(
    directory,
    (model) => {
      if (model.id === 'overture-sketch') model.engine = ['tone', 'tone-b'];
      if (model.id === 'overture-sound-effects') model.engine = 'effects';
    },
    'instances.json',
  );
  const engines = join(directory, 'engines.json');
  writeFileSync(engines, JSON.stringify({ engines: { 'tone-b': { adapter: 'tone', concurrency: 3, circuit: { failures: 1 } } } }));
  const t = await startTestApp({ directory, env: { OVERTURE_CATALOG: catalog, OVERTURE_ENGINES: engines, OVERTURE_ROLE: 'api' } });
  const health = await startWorkerHealthServer(workerHealthOf(t.app), 0, '127.0.0.1');
  try {
    const readyz = async () => {
      const response = await t.request('GET', '/readyz', undefined, null);
      assert.equal(response.statusCode, 200, 'degraded, not dead');
      return response.json();
    };
    const scrape = async () => (await t.request('GET', '/metrics', undefined, null)).body;
    const healthz = async () => {
      const { port } = health.address() as AddressInfo;
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    };
    const ready = await readyz();
    assert.equal(ready.status, 'ready');
    assert.deepEqual(ready.unavailable_models, []);
    assert.deepEqual(
      ready.engines.find((engine: { name: string }) => engine.name === 'tone-b'),
      { name: 'tone-b', adapter: 'tone', up: true, circuit: 'closed', in_flight: 0, concurrency: 3, errors: 0 },
    );
    assert.match(await scrape(), /^overture_engine_instance_up\{engine="tone",adapter="tone"\} 1$/m);

    // Five failed calls open `tone`'s circuit; a slot held on `tone-b` shows in flight.
    for (let i = 0; i < 5; i++) t.app.engines.take(['tone'])?.finish('failed');
    const held = t.app.engines.take(['tone-b']);
    assert.ok(held);
    const degraded = await readyz();
    assert.equal(degraded.status, 'ready');
    const tone = degraded.engines.find((engine: { name: string }) => engine.name === 'tone');
    assert.deepEqual(tone, { name: 'tone', adapter: 'tone', up: false, circuit: 'open', in_flight: 0, concurrency: 2, errors: 5 });
    const onToneOnly = t.app.services.catalog.models
      .filter((model) => model.engine === 'tone')
      .map((model) => model.id)
      .sort();
    assert.ok(onToneOnly.length > 0);
    assert.deepEqual([...degraded.unavailable_models].sort(), onToneOnly, 'the sketch still has tone-b, sound effects have effects');
    const text = await scrape();
    for (const line of [
      'overture_engine_instance_up{engine="tone",adapter="tone"} 0',
      'overture_engine_circuit_state{engine="tone",state="open"} 1',
      'overture_engine_instance_errors_total{engine="tone"} 5',
      'overture_engine_instance_in_flight{engine="tone-b"} 1',
      'overture_engine_instance_concurrency{engine="tone-b"} 3',
      'overture_engine_instance_up{engine="tone-b",adapter="tone"} 1',
      'overture_engine_circuit_state{engine="effects",state="closed"} 1',
    ])
      assert.ok(text.split('\n').includes(line), line);
    const worker = await healthz();
    assert.equal(worker.status, 'ok');
    assert.deepEqual(worker.engines, degraded.engines, 'the worker health server shows the same list');
    assert.deepEqual(worker.unavailable_models, degraded.unavailable_models);
    const { port } = health.address() as AddressInfo;
    const workerMetrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(workerMetrics.status, 200);
    assert.match(workerMetrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const workerText = (await workerMetrics.text()).split('\n');
    assert.ok(workerText.includes('overture_engine_circuit_state{engine="tone",state="open"} 1'), 'the worker serves /metrics too');

    // With `tone-b` down as well (its engines file opens the circuit at one failure), the sketch has no instance left.
    held.finish('failed');
    assert.deepEqual([...(await readyz()).unavailable_models].sort(), [...onToneOnly, 'overture-sketch'].sort());
  } finally {
    await new Promise((resolve) => health.close(resolve));
    await t.close();
  }
});
