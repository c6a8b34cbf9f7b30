import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gatedAppOptions } from '../support/bound-catalog.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { testEngines } from '../support/test-engines.js';

const root = resolve(import.meta.dirname, '../../../..');
const bin = join(root, 'packages/server/bin/overture.js');

/** Whether some source file is newer than its compiled output (or the output is missing). */
function stale(source: string, output: string): boolean {
  return readdirSync(source)
    .filter((name) => name.endsWith('.ts'))
    .some((name) => {
      const built = join(output, name.replace(/\.ts$/, '.js'));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(source, name)).mtimeMs;
    });
}

/** Build the SDK and the server when the CLI or SDK sources changed since the last build (the binary runs from dist). */
export function buildIfStale(): void {
  const cli = stale(join(root, 'packages/server/src/cli'), join(root, 'packages/server/dist/cli'));
  const sdk = stale(join(root, 'packages/sdk/src'), join(root, 'packages/sdk/dist'));
  if (!cli && !sdk) return;
  spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/sdk', 'packages/server'], {
    cwd: root,
    stdio: 'ignore',
  });
}

/** What one run of the binary did. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

/** A real server on a loopback port and a way to run `overture …` against it. */
export interface CliServer {
  readonly test: TestApp;
  readonly baseUrl: string;
  /** Run the binary with the inference key (override with `env`), bounded by a timeout. */
  run(
    args: readonly string[],
    options?: {
      env?: Record<string, string | undefined>;
      input?: string;
      cwd?: string;
      onStderr?: (text: string, interrupt: () => void) => void;
    },
  ): Promise<RunResult>;
  close(): Promise<void>;
}

/** A model bound to the `gate` engine by `startCliServer({ gated: true })`: it runs until released. */
export const GATED_MODEL = 'overture-sound-effects';

/** Start the in-process server (tone catalogue; with `gated`, `GATED_MODEL` waits for `fakes.release()`). */
export async function startCliServer(
  options: { gated?: boolean } = {},
): Promise<CliServer & { readonly fakes: ReturnType<typeof testEngines> }> {
  const { fakes, options: gated } = gatedAppOptions('overture-cli-', (model) => model.id === GATED_MODEL);
  const test = await startTestApp(options.gated ? gated : { directory: gated.directory });
  await test.app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = test.app.http.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  const run: CliServer['run'] = (args, options = {}) =>
    new Promise((done, fail) => {
      const env: Record<string, string | undefined> = {
        ...process.env,
        OVERTURE_BASE_URL: baseUrl,
        OVERTURE_API_KEY: test.account.inference_key,
        NO_COLOR: undefined,
        ...options.env,
      };
      for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
      const child = spawn(process.execPath, [bin, ...args], {
        env: env as NodeJS.ProcessEnv,
        cwd: options.cwd ?? test.directory,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        err.push(chunk);
        options.onStderr?.(Buffer.concat(err).toString('utf8'), () => child.kill('SIGINT'));
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(timer);
        const stdoutBytes = Buffer.concat(out);
        done({ code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') });
      });
      child.stdin.end(options.input ?? '');
    });
  return {
    test,
    baseUrl,
    run,
    fakes,
    close: async () => {
      fakes.release();
      await test.close();
    },
  };
}
