import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/app/config.js';

test('worker, reaper and webhook timings default to the values the server always used', () => {
  const config = loadConfig({});
  assert.equal(config.workerPollMs, 500);
  assert.equal(config.reaperIntervalMs, 1000);
  assert.equal(config.orphanHoldMs, 10 * 60_000);
  assert.equal(config.expiringNoticeMs, 3_600_000, 'an hour with the default 24 h retention');
  assert.equal(loadConfig({ OVERTURE_MEDIA_RETENTION_HOURS: '2' }).expiringNoticeMs, 30 * 60_000, 'a quarter of a short retention');
  assert.equal(config.webhookPollMs, 1000);
  assert.equal(config.webhookTimeoutMs, 10_000);
  assert.ok(Object.isFrozen(config));
});

test('worker, reaper and webhook timings are read from their variables', () => {
  const config = loadConfig({
    OVERTURE_WORKER_POLL_MS: '250',
    OVERTURE_REAPER_INTERVAL_MS: '5000',
    OVERTURE_ORPHAN_HOLD_SECONDS: '1800',
    OVERTURE_EXPIRING_NOTICE_SECONDS: '7200',
    OVERTURE_WEBHOOK_POLL_MS: '200',
    OVERTURE_WEBHOOK_TIMEOUT_SECONDS: '2.5',
  });
  assert.deepEqual(
    [
      config.workerPollMs,
      config.reaperIntervalMs,
      config.orphanHoldMs,
      config.expiringNoticeMs,
      config.webhookPollMs,
      config.webhookTimeoutMs,
    ],
    [250, 5000, 1_800_000, 7_200_000, 200, 2500],
  );
});

test('a bad timing stops the start with the variable named', () => {
  for (const [name, value, rule] of [
    ['OVERTURE_WORKER_POLL_MS', '5', /OVERTURE_WORKER_POLL_MS: .*10/],
    ['OVERTURE_WORKER_POLL_MS', '2.5', /OVERTURE_WORKER_POLL_MS: .*expected int/],
    ['OVERTURE_REAPER_INTERVAL_MS', 'often', /OVERTURE_REAPER_INTERVAL_MS: /],
    ['OVERTURE_ORPHAN_HOLD_SECONDS', '0', /OVERTURE_ORPHAN_HOLD_SECONDS: .*0/],
    ['OVERTURE_EXPIRING_NOTICE_SECONDS', '-1', /OVERTURE_EXPIRING_NOTICE_SECONDS: /],
    ['OVERTURE_WEBHOOK_POLL_MS', '0', /OVERTURE_WEBHOOK_POLL_MS: /],
    ['OVERTURE_WEBHOOK_TIMEOUT_SECONDS', '61', /OVERTURE_WEBHOOK_TIMEOUT_SECONDS: must be at most 60/],
  ] as const)
    assert.throws(
      () => loadConfig({ [name]: value }),
      (error: unknown) => error instanceof ConfigError && rule.test(error.message),
      `${name}=${value}`,
    );
});
