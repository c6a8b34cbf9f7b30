/**
 * Child of `long-track-peaks.ts`: one long music request in a fresh process running the compiled
 * server (`npm run build` first) as `overture serve` does, without a TypeScript loader; prints one
 * JSON line with the kernel's peak resident set (VmHWM) and the RSS after loading the modules.
 * Usage: node bench/audio/long-track-child.mjs <seconds> <format> <sung: 0 | 1 | long>
 * `long` sings 4,096 characters of made-up words that never repeat (the most distinct notes).
 */
import { readFileSync } from 'node:fs';

const [seconds = '600', format = 'mp3', sung = '0'] = process.argv.slice(2);
const kilobytes = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
/** 4,096 characters of deterministic made-up words, a few per line. */
function unrepeatedLyrics() {
  const [consonants, vowels] = ['bcdfglmnprstvz', 'aeiou'];
  let state = 7;
  const next = (count) => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state % count;
  };
  let text = '';
  while (text.length < 4096) {
    let word = '';
    for (let syllable = 0, count = 1 + next(3); syllable < count; syllable++) word += consonants[next(14)] + vowels[next(5)];
    text += (next(6) === 0 ? '\n' : ' ') + word;
  }
  return text.slice(0, 4096).trim();
}

const { createMusicEngine } = await import('../../packages/server/dist/engines/music/music-engine.js');
const loadedKb = kilobytes('VmRSS');
const engine = createMusicEngine();
let bytes = 0;
const started = performance.now();
await engine.generate(
  {
    modelId: 'overture-music',
    options: {},
    prompt: 'upbeat pop song with piano, bass and drums',
    durationSeconds: Number(seconds),
    forceInstrumental: sung === '0',
    lyricsOptimizer: sung === '1',
    lyrics: sung === 'long' ? unrepeatedLyrics() : undefined,
    loop: false,
    speed: 1,
    format,
    seed: 7,
  },
  {
    write: async (chunk) => {
      bytes += chunk.length;
    },
  },
  { signal: new AbortController().signal, onProgress: () => {} },
);
const wallMs = performance.now() - started;
await engine.close?.();
console.log(JSON.stringify({ seconds: Number(seconds), format, sung, bytes, wallMs, loadedKb, peakKb: kilobytes('VmHWM') }));
