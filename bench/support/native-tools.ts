import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOAD } from './load.js';
import { median } from './stats.js';

/** Whether `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Make sure the Debian packages that provide `commands`/`files` are installed: `apt-get install -y`
 * when something is missing and CI is not set. Returns why they are unavailable, or undefined when ready.
 */
export function ensureDebianPackages(
  packages: readonly string[],
  commands: readonly string[],
  files: readonly string[] = [],
): string | undefined {
  const missing = () => [...commands.filter((command) => !hasCommand(command)), ...files.filter((file) => !existsSync(file))];
  if (missing().length === 0) return undefined;
  if (process.env.CI) return `missing ${missing().join(', ')} (not installed under CI)`;
  if (!hasCommand('apt-get')) return `missing ${missing().join(', ')} and no apt-get`;
  process.stderr.write(`bench: installing ${packages.join(' ')} with apt-get…\n`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = spawnSync(
    sudo[0] ?? 'apt-get',
    [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', ...packages],
    { env, stdio: 'ignore' },
  );
  if (install.status !== 0) {
    spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq'], { env, stdio: 'ignore' });
    spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', ...packages], {
      env,
      stdio: 'ignore',
    });
  }
  const still = missing();
  return still.length === 0 ? undefined : `missing ${still.join(', ')} (apt-get install ${packages.join(' ')} failed)`;
}

/** Run a shell pipeline and return its wall time in milliseconds (throws on failure). */
export function timeShell(script: string): number {
  const started = performance.now();
  execFileSync('sh', ['-c', `set -e; ${script}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  return performance.now() - started;
}

/** Seconds of audio in a WAV file, read from its header (PCM, any channel count). */
export function wavSeconds(bytes: Buffer): number {
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = bytes.readUInt32LE(offset + 16);
    if (id === 'data') return byteRate > 0 ? Math.min(size, bytes.length - offset - 8) / byteRate : 0;
    offset += 8 + size + (size % 2);
  }
  return 0;
}

/** A native baseline: what to run once to render its WAV (the warm-up), and the pipeline to time. */
export interface NativePipeline {
  /** Shell script that writes `wav`. */
  readonly render: string;
  readonly wav: string;
  /** Shell script whose wall time is measured, `LOAD.runs` times. */
  readonly pipeline: string;
}

/**
 * The median real-time factor (audio seconds / wall seconds) of a native pipeline, in a scratch
 * directory that `setUp` fills with the inputs; the directory is removed afterwards.
 */
export function nativeRealTimeFactor(name: string, setUp: (directory: string) => NativePipeline): number {
  const directory = mkdtempSync(join(tmpdir(), `overture-bench-${name}-`));
  try {
    const { render, wav, pipeline } = setUp(directory);
    timeShell(render);
    const seconds = wavSeconds(readFileSync(wav));
    const factors: number[] = [];
    for (let run = 0; run < LOAD.runs; run++) factors.push(seconds / (timeShell(pipeline) / 1000));
    return median(factors);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
