// The playground in a real browser: Debian's Chromium driven by playwright-core (no browser
// download). Skipped when /usr/bin/chromium is absent, unless OVERTURE_REQUIRE_BROWSER=1 (CI),
// where its absence fails. OVERTURE_SCREENSHOTS=1 also saves each screen into docs/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { buildPlayground } from '../../playground/build.mjs';
import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, SCREENSHOTS } from '../support/chromium.js';
import { startTestApp } from '../support/test-app.js';

const WAIT = { timeout: 60_000 };
const ARGS = [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'];

/** The test catalog, with `test-ok` taking 4 s (progress to watch) and `test-slow-30s` ten minutes (time to cancel). */
function catalogFile(directory: string): string {
  const data = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../catalogs/test.json'), 'utf8'));
  for (const model of data.models) {
    if (model.id === 'test-ok') model.engine_options.seconds = 4;
    if (model.id === 'test-slow-30s') model.engine_options.seconds = 600;
  }
  const path = join(directory, 'catalog.json');
  writeFileSync(path, JSON.stringify(data));
  return path;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.OVERTURE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The text of the error line tied to a control by its aria-describedby. */
function errorOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (control) => {
    const ids = (control.getAttribute('aria-describedby') ?? '').split(' ');
    return ids
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim();
  });
}

test('a person tries models, generates, cancels, speaks and reads the history in Chromium', async (t) => {
  if (!chromiumOrSkip(t, "the playground's browser test")) return;
  await buildPlayground();
  const directory = mkdtempSync(join(tmpdir(), 'overture-playground-'));
  const profile = mkdtempSync(join(tmpdir(), 'overture-chromium-'));
  const server = await startTestApp({ env: { OVERTURE_CATALOG: catalogFile(directory), OVERTURE_LEASE_SECONDS: '3' }, usd: 10 });
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1000, height: 800 },
  });
  try {
    await server.app.http.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(server.app.http.server.address() as { port: number }).port}`;
    const page = browser.pages()[0] ?? (await browser.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const refused: string[] = [];
    page.on('response', (response) => response.status() >= 400 && refused.push(`${response.status()} ${new URL(response.url()).pathname}`));
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]', WAIT);

    // Models and prices show before any key; the form is the model's own.
    await page.getByText('test-ok (music): $0.0001 a second').waitFor({ state: 'attached', ...WAIT });
    await page.selectOption('#music-model', 'test-ok');
    const duration = page.getByLabel('Duration (seconds)');
    assert.equal(await page.getByLabel('Lyrics').count(), 0, 'test-ok takes no lyrics');
    assert.equal(await page.getByLabel('Seamless loop').count(), 1, 'test-ok supports loop');
    await page.getByText('Quote: $0.0002').waitFor(WAIT);
    // An invalid field shows the server's own error next to it.
    await duration.fill('99');
    await page.waitForFunction(
      () => document.querySelector('[name="duration_seconds"]')?.getAttribute('aria-invalid') === 'true',
      null,
      WAIT,
    );
    assert.match(await errorOf(page, '[name="duration_seconds"]'), /30/);
    await duration.fill('3');
    await page.getByText('Quote: $0.0003').waitFor(WAIT);
    assert.equal(await duration.getAttribute('aria-invalid'), null);
    await screenshot(page, 'generate-form');

    // The key, once; the balance any key may read.
    await page.getByLabel('API key').fill(server.account.inference_key);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('Balance: $10.00 USD').waitFor(WAIT);

    // Keyboard: from the prompt, Tab reaches Generate; Enter starts the job.
    await page.getByLabel('Prompt').fill('a calm test tone');
    await page.getByLabel('Prompt').focus();
    let reached = false;
    for (let presses = 0; presses < 10 && !reached; presses++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'generate');
    }
    assert.ok(reached, 'Tab reaches Generate');
    await page.keyboard.press('Enter');
    // Focus moves to the job just started, whose status line is a live region.
    await page.waitForFunction(() => document.activeElement?.closest('#job') !== null, null, WAIT);
    await page
      .locator('#job .job-status')
      .getByText(/Queued|Running/)
      .waitFor(WAIT);
    await page.locator('#job[data-state="running"]').waitFor({ state: 'attached', ...WAIT });
    // For the picture only: some progress, if the job is still running when it shows (no timing is asserted).
    if (process.env.OVERTURE_SCREENSHOTS === '1')
      await page
        .getByText(/Running: [1-9]/)
        .waitFor({ timeout: 3000 })
        .catch(() => undefined);
    await screenshot(page, 'progress');
    await page
      .locator('#announcer')
      .getByText('Your track is ready.')
      .waitFor({ state: 'attached', ...WAIT });
    const trackSeconds = await page.waitForFunction(
      () => {
        const audio = document.querySelector<HTMLAudioElement>('#job audio');
        return audio && Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : null;
      },
      null,
      WAIT,
    );
    assert.ok(Math.abs(((await trackSeconds.jsonValue()) as number) - 3) < 0.2);
    await page.locator('#job canvas[data-drawn="true"][role="img"]').waitFor({ state: 'attached', ...WAIT });
    await page.locator('#job audio').evaluate((audio: HTMLAudioElement) => audio.play());
    await page.getByText('Balance: $9.9997 USD').waitFor(WAIT);
    assert.ok(await page.getByRole('link', { name: /Download overture-.*\.wav/ }).isVisible());
    await screenshot(page, 'player');

    // A second job, cancelled: the hold goes back.
    await page.selectOption('#music-model', 'test-slow-30s');
    await page.getByLabel('Prompt').fill('a job to cancel');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByText('Balance: $9.9995 USD').waitFor(WAIT);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled: the hold on your balance was released.').waitFor(WAIT);
    await page.getByText('Balance: $9.9997 USD').waitFor(WAIT);

    // Speech, played as it streams (Media Source Extensions for MP3 in Chromium).
    await page.getByRole('tab', { name: 'Speech' }).click();
    await page.selectOption('#speech-model', 'test-tts');
    await page.getByLabel('Text').fill('Hello from the playground.');
    await page.getByRole('button', { name: 'Speak' }).click();
    const speechSeconds = await page.waitForFunction(
      () => {
        const audio = document.querySelector<HTMLAudioElement>('#speech-output audio');
        return audio && Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : null;
      },
      null,
      WAIT,
    );
    assert.ok(((await speechSeconds.jsonValue()) as number) > 0.5);
    assert.equal(await page.locator('#speech-output audio').getAttribute('data-streaming'), 'true');
    await page
      .locator('#speech-status')
      .getByText(/^Done: \d+ bytes of mp3\.$/)
      .waitFor(WAIT);
    await screenshot(page, 'speech');

    // History, reached with the arrow keys: both jobs, newest first, the kept one playable.
    await page.getByRole('tab', { name: 'Speech' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-history');
    await page.locator('#history-rows tr').nth(1).waitFor(WAIT);
    const rows = await page.$$eval('#history-rows tr', (trs) =>
      trs.map((tr) =>
        Array.from(tr.children)
          .slice(1, 5)
          .map((td) => td.textContent),
      ),
    );
    assert.deepEqual(rows, [
      ['test-slow-30s', 'cancelled', '$0.0002 (not charged)', '2 s'],
      ['test-ok', 'done', '$0.0003', '3 s'],
    ]);
    await page
      .locator('#history-rows tr[data-state="done"]')
      .getByRole('button', { name: /Play test-ok/ })
      .click();
    await page.waitForFunction(() => (document.querySelector<HTMLAudioElement>('#history-rows audio')?.duration ?? 0) > 0, null, WAIT);
    await screenshot(page, 'history');
    assert.deepEqual(problems, []);
    // Only the quote the test made invalid on purpose was refused.
    assert.deepEqual(refused, ['400 /api/v1/audio/quote']);
  } finally {
    await browser.close();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
});
