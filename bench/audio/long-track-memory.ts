/**
 * Peak memory of a long piece: the music engine renders, masters and encodes `seconds` (600 by
 * default) to MP3 while RSS is sampled every 50 ms; the same run's baseline is the RSS after the
 * modules are loaded. The kernel's peak (VmHWM of /proc/self/status, worker threads included) is
 * printed too. BENCH_LYRICS=1 asks for a song with written lyrics (lyrics_optimizer) instead of an
 * instrumental.
 * Usage: [BENCH_FORMAT=wav|flac] [BENCH_LYRICS=1] [BENCH_BUILD=1] node --import tsx bench/audio/long-track-memory.ts [seconds]
 */
import { readFileSync } from 'node:fs';
import type * as MusicEngineModule from '../../packages/server/dist/engines/music/music-engine.js';
import { musicRequest } from '../support/engine-requests.js';
import { countingSink } from './common.js';

const seconds = Number(process.argv[2] ?? 600);
const sung = process.env.BENCH_LYRICS === '1';
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
// BENCH_BUILD=1 runs the compiled server (`npm run build` first), as `overture serve` does: no
// TypeScript loader in the process (under tsx, eSpeak's module alone costs ~100 MB more).
const { createMusicEngine }: typeof MusicEngineModule = await import(
  process.env.BENCH_BUILD === '1'
    ? '../../packages/server/dist/engines/music/music-engine.js'
    : '../../packages/server/dist/engines/music/music-engine.js'
);
const baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const engine = createMusicEngine();
const sink = countingSink();
const started = performance.now();
await engine.generate(
  musicRequest('upbeat pop song with piano, bass and drums', seconds, {
    forceInstrumental: !sung,
    lyricsOptimizer: sung,
    format: (process.env.BENCH_FORMAT ?? 'mp3') as 'mp3',
  }),
  sink,
  { signal: new AbortController().signal, onProgress: () => {} },
);
const elapsed = performance.now() - started;
clearInterval(timer);
await engine.close?.();
const kernelPeak = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
console.log(
  `${seconds} s ${sung ? 'song with lyrics' : 'instrumental'} → ${mb(sink.total)} of ${process.env.BENCH_FORMAT ?? 'mp3'} in ${(elapsed / 1000).toFixed(1)} s (${(seconds / (elapsed / 1000)).toFixed(1)}× real time)`,
);
console.log(
  `RSS after loading modules ${mb(baseline)}, peak while generating ${mb(peak)} (sampled), ${kernelPeak ? mb(Number(kernelPeak) * 1024) : '?'} (kernel VmHWM)`,
);
