import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressBar } from '../../src/cli/progress-bar.js';
import { formatDuration, formatUsd, renderTable } from '../../src/cli/table.js';

test('the progress bar extrapolates between reports, caps at 99 % and shows an ETA', (t) => {
  // A frozen clock: the bar reads Date.now() on each report, which must not move past `start`.
  t.mock.timers.enable({ apis: ['Date', 'setInterval'], now: 1_000_000 });
  const written: string[] = [];
  const stream = { columns: 0, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  const bar = new ProgressBar(stream, 'Generating');
  const start = Date.now();
  bar.update({ elapsedMs: 2000, expectedMs: 10_000 });
  assert.match(bar.line(start), /^Generating \[#{5,6}-+\] {2}2\d% {2}ETA 8s$/);
  assert.match(bar.line(start + 4000), / {2}6\d% {2}ETA 4s$/);
  assert.match(bar.line(start + 60_000), / 99% {2}finishing$/);
  bar.update({ elapsedMs: 1000, expectedMs: 0 });
  assert.match(bar.line(), / {2}0% {2}1s elapsed$/);
  bar.update({ elapsedMs: 0, expectedMs: 4000, fraction: 0.5, stage: 'mastering' });
  assert.match(bar.line(), /\[#{14}-{14}\] {2}50% {2}ETA 4s {2}mastering$/);
  bar.stop();
  assert.ok(written.every((text) => text.startsWith('\r')));
  assert.ok(
    written.some((text) => text.includes('Generating')),
    'a zero-width terminal still gets the line',
  );
});

test("with the server's progress and ETA the bar shows them, counting the ETA down, and the queue position", (t) => {
  t.mock.timers.enable({ apis: ['Date', 'setInterval'], now: 1_000_000 });
  const stream = { columns: 0, write: () => true } as unknown as NodeJS.WriteStream;
  const bar = new ProgressBar(stream, 'Generating');
  const start = Date.now();
  bar.update({ elapsedMs: 500, expectedMs: 0, fraction: 0, etaMs: 9000, queuePosition: 2, stage: null });
  assert.match(bar.line(start), /^Generating \[-{28}\] {3}0% {2}ETA 9s {2}queued, position 3$/);
  bar.update({ elapsedMs: 2000, expectedMs: 0, fraction: 0.25, etaMs: 6000, queuePosition: null, stage: 'rendering' });
  assert.match(bar.line(start), / 25% {2}ETA 6s {2}rendering$/);
  assert.match(bar.line(start + 2000), / 25% {2}ETA 4s {2}rendering$/, "the fraction is the server's; the ETA counts down");
  assert.match(bar.line(start + 7000), / 25% {2}finishing {2}rendering$/);
  bar.update({ elapsedMs: 8000, expectedMs: 8000, fraction: 1, etaMs: 0 });
  assert.match(bar.line(), /\[#{28}\] 100% {2}done$/);
  bar.stop();
});

test('table and number formatting', () => {
  assert.equal(
    renderTable(
      ['A', 'LONG'],
      [
        ['xyz', '1'],
        ['q', '22'],
      ],
    ),
    'A    LONG\n---  ----\nxyz  1\nq    22',
  );
  assert.equal(formatUsd(0.0001), '$0.0001');
  assert.equal(formatUsd(2), '$2.00');
  assert.equal(formatUsd(0.05), '$0.05');
  assert.equal(formatDuration(125_000), '2m 05s');
});
