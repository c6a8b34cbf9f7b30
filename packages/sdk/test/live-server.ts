import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../server/test/support/test-app.js';
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
export const FAST_POLLING = { firstDelayMinMs: 10, firstDelayMaxMs: 50, intervalMinMs: 10, intervalMaxMs: 30 };

/** A prompt the sketch model renders quickly. */
export const SKETCH = { model: 'overture-sketch', prompt: 'calm piano in A minor at 90 bpm', duration_seconds: 2 } as const;
