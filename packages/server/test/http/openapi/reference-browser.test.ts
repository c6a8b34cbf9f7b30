// The API reference in a real browser: Debian's Chromium driven by playwright-core (no browser
// download), as the playground's test does. Skipped when /usr/bin/chromium is absent, unless
// OVERTURE_REQUIRE_BROWSER=1 (CI), where its absence fails. OVERTURE_SCREENSHOTS=1 saves the page
// into docs/screenshots/api-reference.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, SCREENSHOTS } from '../../support/chromium.js';
import { startTestApp } from '../../support/test-app.js';

const WAIT = { timeout: 60_000 };

test('the reference loads under its CSP, takes a key and runs a try-it-out call', async (t) => {
  if (!chromiumOrSkip(t, "the reference's browser test")) return;
  const profile = mkdtempSync(join(tmpdir(), 'overture-chromium-'));
  const server = await startTestApp();
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
    headless: true,
    viewport: { width: 1200, height: 900 },
  });
  try {
    // A job in the history, so the answer lists something.
    const queued = await server.request('POST', '/api/v1/audio/queue', {
      model: 'overture-sketch',
      prompt: 'a calm piano',
      duration_seconds: 5,
    });
    assert.equal(queued.statusCode, 200, queued.body);
    await server.app.http.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(server.app.http.server.address() as { port: number }).port}`;
    const page = browser.pages()[0] ?? (await browser.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
    const elsewhere: string[] = [];
    page.on(
      'request',
      (request) => new URL(request.url()).origin !== base && !request.url().startsWith('data:') && elsewhere.push(request.url()),
    );
    let sentKey: string | undefined;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/audio/jobs') sentKey = request.headers().authorization;
    });

    await page.goto(`${base}/docs`, WAIT);
    await page.locator('.swagger-ui .info .title', { hasText: 'Overture audio API' }).waitFor(WAIT);

    // Authorize with the account's key, in the API key scheme's form.
    await page.locator('.btn.authorize').first().click();
    const scheme = page.locator('.auth-container', { hasText: 'apiKey' }).first();
    await scheme.locator('input').first().fill(server.account.inference_key);
    await scheme.locator('button.authorize').click();
    await page.locator('.btn-done').first().click();

    // Try GET /api/v1/audio/jobs (a keyed route): expand, try it out, execute, read the answer.
    const operation = page.locator('#operations-Jobs-listJobs');
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor(WAIT);
    assert.equal((await status.textContent())?.trim(), '200');
    assert.match(
      (await operation.locator('.live-responses-table tbody .response-col_description').first().textContent()) ?? '',
      /"object": "list"[\s\S]*"model": "overture-sketch"/,
    );
    assert.equal(sentKey, `Bearer ${server.account.inference_key}`);
    assert.deepEqual(elsewhere, [], 'nothing is fetched from another origin');
    assert.deepEqual(
      problems.filter((problem) => /Content Security Policy|Refused/i.test(problem)),
      [],
      'no CSP violation',
    );
    assert.deepEqual(problems, [], 'no script error');

    if (process.env.OVERTURE_SCREENSHOTS === '1') {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await operation.locator('.live-responses-table').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, 'api-reference.png') });
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
