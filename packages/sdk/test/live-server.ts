import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { gatedAppOptions } from '../../server/test/support/bound-catalog.js';
import { startTestApp, type TestApp } from '../../server/test/support/test-app.js';
import type { testEngines } from '../../server/test/support/test-engines.js';
import { type ClientOptions, OvertureClient } from '../src/index.js';

/** A real Overture server on a loopback port, with clients bound to it. */
export interface LiveServer {
  readonly test: TestApp;
  readonly baseUrl: string;
  /** A client with the account's inference key (or the given options). */
  client(options?: ClientOptions): OvertureClient;
  /** A client with the account's admin key. */
  admin(options?: ClientOptions): OvertureClient;
  close(): Promise<void>;
}

/** Start the server in-process and listen on 127.0.0.1 with a free port. */
export async function startLiveServer(options: Parameters<typeof startTestApp>[0] = {}): Promise<LiveServer> {
  const test = await startTestApp(options);
  await test.app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = test.app.http.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  return {
    test,
    baseUrl,
    client: (extra = {}) => new OvertureClient({ baseUrl, apiKey: test.account.inference_key, retryBaseDelayMs: 10, ...extra }),
    admin: (extra = {}) => new OvertureClient({ baseUrl, apiKey: test.account.admin_key, retryBaseDelayMs: 10, ...extra }),
    close: () => test.close(),
  };
}

/** Poll timing that keeps tests fast. */
export const FAST_POLLING = { firstDelayMs: 10, multiplier: 1.5, maxDelayMs: 30 };

/** A request on `overture-sound-effects`, which `startGatedServer` binds to the `gate` engine. */
export const GATED = { model: 'overture-sound-effects', prompt: 'rain on a tin roof', duration_seconds: 1 } as const;

/** A live server whose `GATED` model runs on the `gate` engine: it waits until `fakes.release()`. */
export async function startGatedServer(): Promise<{ server: LiveServer; fakes: ReturnType<typeof testEngines> }> {
  const { fakes, options } = gatedAppOptions('overture-sdk-gated-', (model) => model.id === GATED.model);
  return { server: await startLiveServer(options), fakes };
}

/** For a test file: a gated server started before its tests, and closed (its gate released) after them. */
export function gatedServerForFile(): { readonly server: LiveServer; readonly fakes: ReturnType<typeof testEngines> } {
  let started: Awaited<ReturnType<typeof startGatedServer>> | undefined;
  before(async () => {
    started = await startGatedServer();
  });
  after(async () => {
    started?.fakes.release();
    await started?.server.close();
  });
  const get = () => {
    if (!started) throw new Error('the gated server starts in before()');
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get fakes() {
      return get().fakes;
    },
  };
}

/** A prompt the sketch model renders quickly. */
export const SKETCH = { model: 'overture-sketch', prompt: 'calm piano in A minor at 90 bpm', duration_seconds: 2 } as const;
