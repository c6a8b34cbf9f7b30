/**
 * Peak memory of a long piece: the music engine renders, masters and encodes `seconds` (600 by
 * default) to MP3 while RSS is sampled every 50 ms; the same run's baseline is the RSS after the
 * modules are loaded. Run under `/usr/bin/time -v` too for the kernel's peak (it includes workers).
 * Usage: [BENCH_FORMAT=wav] node --import tsx bench/audio/long-track-memory.ts [seconds] [parallel: 1|0]
 */
import { createMusicEngine } from '../../packages/server/src/engines/music/music-engine.js';
import { countingSink } from './common.js';

const seconds = Number(process.argv[2] ?? 600);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const engine = createMusicEngine();
const sink = countingSink();
const started = performance.now();
await engine.generate(
  {
    modelId: 'overture-music',
    options: {},
    prompt: 'upbeat pop song with piano, bass and drums',
    durationSeconds: seconds,
    forceInstrumental: true,
    lyricsOptimizer: false,
    loop: false,
    speed: 1,
    format: (process.env.BENCH_FORMAT ?? 'mp3') as 'mp3',
    seed: 7,
  },
  sink,
  { signal: new AbortController().signal, onProgress: () => {} },
);
const elapsed = performance.now() - started;
clearInterval(timer);
await engine.close?.();
console.log(
  `${seconds} s → ${mb(sink.total)} of ${process.env.BENCH_FORMAT ?? 'mp3'} in ${(elapsed / 1000).toFixed(1)} s (${(seconds / (elapsed / 1000)).toFixed(1)}× real time)`,
);
console.log(`RSS after loading modules ${mb(baseline)}, peak while generating ${mb(peak)}`);
