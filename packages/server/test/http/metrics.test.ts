import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHealthServer } from '../../src/jobs/health-server.js';
import { Metrics } from '../../src/metrics.js';
import { startTestApp, toneCatalogFile } from '../support/test-app.js';

test('latency histograms render cumulative Prometheus buckets per route and status', async () => {
  const metrics = new Metrics(async () => ({ jobsByState: { queued: 2 }, activeJobs: 1 }));
  for (const milliseconds of [3, 7, 7, 400, 400_000]) metrics.observeHttp('/api/v1/audio/quote', 200, milliseconds);
  metrics.observeHttp('/api/v1/audio/quote', 400, 1);
  metrics.observeEngine('music', 'done', 12_000);
  const text = await metrics.render();
  const line = (name: string) =>
    text
      .split('\n')
      .find((candidate) => candidate.startsWith(name))
      ?.split(' ')[1];
  const quote = 'overture_http_request_duration_ms_bucket{route="/api/v1/audio/quote",status="200",le=';
  assert.equal(line(`${quote}"5"}`), '1');
  assert.equal(line(`${quote}"10"}`), '3');
  assert.equal(line(`${quote}"250"}`), '3');
  assert.equal(line(`${quote}"500"}`), '4');
  assert.equal(line(`${quote}"300000"}`), '4');
  assert.equal(line(`${quote}"+Inf"}`), '5');
  assert.equal(line('overture_http_request_duration_ms_count{route="/api/v1/audio/quote",status="200"}'), '5');
  assert.equal(line('overture_http_request_duration_ms_sum{route="/api/v1/audio/quote",status="200"}'), '400417');
  assert.equal(line('overture_http_request_duration_ms_bucket{route="/api/v1/audio/quote",status="400",le="5"}'), '1');
  assert.equal(line('overture_engine_duration_ms_bucket{engine="music",outcome="done",le="10000"}'), '0');
  assert.equal(line('overture_engine_duration_ms_bucket{engine="music",outcome="done",le="30000"}'), '1');
  assert.equal(line('overture_queue_depth'), '2');
});

test('engine instances render as gauges and an error counter, labelled by instance', async () => {
  const instance = { remote: true, concurrency: 4, inFlight: 0, errors: 0 };
  const metrics = new Metrics(async () => ({
    jobsByState: {},
    activeJobs: 0,
    instances: [
      { ...instance, name: 'gpu-1', adapter: 'venice', up: true, circuit: 'closed', inFlight: 3, errors: 2 },
      { ...instance, name: 'gpu-2', adapter: 'openai-speech', up: false, circuit: 'open', errors: 7 },
    ],
  }));
  const text = await metrics.render();
  const value = (series: string) =>
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.slice(series.length + 1);
  assert.equal(value('overture_engine_instance_up{instance="gpu-1",adapter="venice"}'), '1');
  assert.equal(value('overture_engine_instance_up{instance="gpu-2",adapter="openai-speech"}'), '0');
  assert.equal(value('overture_engine_instance_in_flight{instance="gpu-1"}'), '3');
  assert.equal(value('overture_engine_instance_concurrency{instance="gpu-2"}'), '4');
  assert.equal(value('overture_engine_instance_circuit_open{instance="gpu-1"}'), '0');
  assert.equal(value('overture_engine_instance_circuit_open{instance="gpu-2"}'), '1');
  assert.equal(value('overture_engine_instance_errors_total{instance="gpu-2"}'), '7');
  assert.ok(text.includes('# TYPE overture_engine_instance_errors_total counter\n'));
  assert.ok(text.includes('# TYPE overture_engine_instance_up gauge\n'));
  const none = await new Metrics(async () => ({ jobsByState: {}, activeJobs: 0 })).render();
  assert.ok(!none.includes('overture_engine_instance'), 'no instances, no instance series');
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
  const health = await startHealthServer(t.app, 0, '127.0.0.1');
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
    assert.match(await scrape(), /^overture_engine_instance_up\{instance="tone",adapter="tone"\} 1$/m);

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
      'overture_engine_instance_up{instance="tone",adapter="tone"} 0',
      'overture_engine_instance_circuit_open{instance="tone"} 1',
      'overture_engine_instance_errors_total{instance="tone"} 5',
      'overture_engine_instance_in_flight{instance="tone-b"} 1',
      'overture_engine_instance_concurrency{instance="tone-b"} 3',
      'overture_engine_instance_up{instance="tone-b",adapter="tone"} 1',
      'overture_engine_instance_circuit_open{instance="effects"} 0',
    ])
      assert.ok(text.split('\n').includes(line), line);
    const worker = await healthz();
    assert.equal(worker.status, 'ok');
    assert.deepEqual(worker.engines, degraded.engines, 'the worker health server shows the same list');
    assert.deepEqual(worker.unavailable_models, degraded.unavailable_models);

    // With `tone-b` down as well (its engines file opens the circuit at one failure), the sketch has no instance left.
    held.finish('failed');
    assert.deepEqual([...(await readyz()).unavailable_models].sort(), [...onToneOnly, 'overture-sketch'].sort());
  } finally {
    await new Promise((resolve) => health.close(resolve));
    await t.close();
  }
});
