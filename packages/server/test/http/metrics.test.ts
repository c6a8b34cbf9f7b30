import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from '../../src/metrics.js';

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
