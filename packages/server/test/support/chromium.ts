import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestContext } from 'node:test';

/** Debian's Chromium, driven by playwright-core (no browser download); `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless flags that keep Chromium off the network this machine cannot reach. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where OVERTURE_SCREENSHOTS=1 saves the browser tests' screens. */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../../../docs/screenshots');

/**
 * True when Chromium is installed; otherwise the test is skipped, or fails when
 * OVERTURE_REQUIRE_BROWSER=1 (CI), where a missing browser must not pass unseen.
 */
export function chromiumOrSkip(t: TestContext, what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.OVERTURE_REQUIRE_BROWSER === '1') assert.fail(`${CHROMIUM} is missing but OVERTURE_REQUIRE_BROWSER=1`);
  t.skip(`${CHROMIUM} is not installed (apt-get install chromium): ${what} is skipped`);
  return false;
}
