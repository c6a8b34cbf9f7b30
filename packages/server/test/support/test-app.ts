import type { LightMyRequestResponse } from 'fastify';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../../src/app/config.js';
import { type App, type AppParts, createApp } from '../../src/app/create-app.js';
import type { CreatedAccount } from '../../src/services/account-service.js';

const catalogs = resolve(import.meta.dirname, '../../catalogs');

/** The default catalog with every model bound to the fast `tone` engine (for flow tests). */
export function toneCatalogFile(
  directory: string,
  edit: (model: Record<string, unknown>) => void = () => undefined,
  name = 'catalog.json',
): string {
  const data = JSON.parse(readFileSync(join(catalogs, 'default.json'), 'utf8'));
  for (const model of data.models) {
    model.engine = 'tone';
    edit(model);
  }
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

export interface TestApp {
  readonly app: App;
  readonly directory: string;
  readonly account: CreatedAccount;
  /** Shorthand for an authenticated JSON request through `inject`. */
  request(method: string, url: string, body?: unknown, key?: string | null): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A real app on a temporary data directory; `env` overrides configuration. */
export async function startTestApp(
  options: { env?: Record<string, string>; parts?: AppParts; directory?: string; usd?: number; keepDirectory?: boolean } = {},
): Promise<TestApp> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'overture-test-'));
  const config: Config = loadConfig({
    OVERTURE_DATA_DIR: directory,
    OVERTURE_CATALOG: toneCatalogFile(directory),
    LOG_LEVEL: 'silent',
    OVERTURE_SQLITE_SYNCHRONOUS: 'NORMAL',
    ...options.env,
  });
  const app = await createApp(config, options.parts);
  app.reaper.stop();
  app.pool?.start();
  const account =
    (await app.services.accounts.bootstrap(options.usd ?? 10, 0)) ??
    (await app.services.accounts.create({ name: 'extra', pro: false, usd: options.usd ?? 10, diemDaily: 0 }));
  return {
    app,
    directory,
    account,
    request(method, url, body, key = account.inference_key) {
      return app.http.inject({
        method: method as 'GET',
        url,
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    },
    async close() {
      await app.close();
      if (!options.keepDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Poll retrieve until the job is done (bounded); returns the final response. Polls start at 25 ms
 * and back off to 400 ms, and a 429 waits its Retry-After, so a slow machine never trips the
 * retrieve rate limit.
 */
export async function waitForMedia(test: TestApp, model: string, queueId: string, key?: string, limitMs = 120_000) {
  const deadline = Date.now() + limitMs;
  let delayMs = 25;
  for (;;) {
    const response = await test.request('POST', '/api/v1/audio/retrieve', { model, queue_id: queueId }, key);
    const isJson = String(response.headers['content-type']).startsWith('application/json');
    const limited = response.statusCode === 429;
    if (!limited && (!isJson || response.json().status !== 'PROCESSING')) return response;
    if (Date.now() > deadline) throw new Error(`job ${queueId} still processing after ${limitMs} ms`);
    const retryAfterMs = limited ? Number(response.headers['retry-after'] ?? 1) * 1000 : 0;
    await new Promise((resolve) => setTimeout(resolve, Math.max(delayMs, retryAfterMs)));
    delayMs = Math.min(400, delayMs * 1.5);
  }
}
