/** Shared helpers of the audio benchmarks: test signals, timing, medians, a counting sink. */
import { readdirSync, readFileSync } from 'node:fs';
import type { ByteSink } from '../../packages/server/dist/ports/engine.js';
import type { PcmAudio } from '../../packages/server/dist/audio/pcm-audio.js';

/** A deterministic music-like stereo signal: a few detuned partials plus a little noise. */
export function testSignal(seconds: number, sampleRate = 44100, channelCount = 2): PcmAudio {
  const frames = Math.round(seconds * sampleRate);
  let state = 12345;
  const channels = Array.from({ length: channelCount }, (_, channel) => {
    const data = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const t = i / sampleRate;
      const noise = (state / 2 ** 32 - 0.5) * 0.05;
      data[i] =
        0.2 * Math.sin(2 * Math.PI * (220 + channel) * t) + 0.1 * Math.sin(2 * Math.PI * 331 * t * (1 + 0.01 * Math.sin(t))) + noise;
    }
    return data;
  });
  return { sampleRate, channels };
}

/** A sink that counts (and optionally keeps) bytes. */
export function countingSink(keep = false): ByteSink & { total: number; chunks: Uint8Array[]; firstAt?: number } {
  const sink = {
    total: 0,
    chunks: [] as Uint8Array[],
    firstAt: undefined as number | undefined,
    async write(chunk: Uint8Array) {
      sink.firstAt ??= performance.now();
      sink.total += chunk.length;
      if (keep) sink.chunks.push(chunk.slice());
    },
  };
  return sink;
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Run `task` `runs` times and return each duration in ms. */
export async function timeRuns(runs: number, task: () => Promise<unknown> | unknown): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  return times;
}

/** "median ms (min–max)" for a list of times. */
export function describe(times: readonly number[]): string {
  return `${median(times).toFixed(0)} ms (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)}, n=${times.length})`;
}

/** CPU time (user + system, ms) of every thread of this process, by thread id (Linux /proc). */
export function threadCpuTimes(): Map<string, number> {
  const times = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return times;
}

/** The busiest thread's CPU time between two `threadCpuTimes` snapshots, and all threads' total. */
export function busiestThread(before: Map<string, number>, after: Map<string, number>): { busiest: number; total: number } {
  let busiest = 0;
  let total = 0;
  for (const [tid, time] of after) {
    const used = time - (before.get(tid) ?? 0);
    total += used;
    busiest = Math.max(busiest, used);
  }
  return { busiest, total };
}
