/**
 * Speech speed: ~1,000 characters of English through the speech engine to MP3 and Opus (× real
 * time), the same synthesis to WAV as the same-run baseline (no lossy encoder), and the time to the
 * first streamed byte of a 4,000-character input. Median of several runs, warm process.
 * Usage: node --import tsx bench/audio/speech-speed.ts [runs]
 */
import { createSpeechEngine } from '../../packages/server/dist/engines/speech/speech-engine.js';
import type { AudioFormat } from '../../packages/server/dist/ports/engine.js';
import { SPEECH_TEXT } from '../support/bench-text.js';
import { speechRequest } from '../support/engine-requests.js';
import { countingSink, describe, median } from './common.js';

const runs = Number(process.argv[2] ?? 5);
const engine = createSpeechEngine();
const speak = async (prompt: string, format: AudioFormat) => {
  const sink = countingSink();
  const started = performance.now();
  const result = await engine.generate(speechRequest('tts-kokoro', prompt, { format }), sink, {
    signal: new AbortController().signal,
    onProgress: () => {},
  });
  return { ms: performance.now() - started, firstByteMs: (sink.firstAt ?? performance.now()) - started, seconds: result.durationSeconds };
};
await speak(SPEECH_TEXT, 'mp3');
const long = Array.from({ length: 4 }, () => SPEECH_TEXT).join(' ');
const rows: Record<string, { ms: number[]; seconds: number }> = {};
const firstBytes: number[] = [];
for (let run = 0; run < runs; run++) {
  for (const format of ['wav', 'mp3', 'opus'] as const) {
    const { ms, seconds } = await speak(SPEECH_TEXT, format);
    (rows[format] ??= { ms: [], seconds }).ms.push(ms);
  }
  firstBytes.push((await speak(long, 'mp3')).firstByteMs);
}
console.log(`speech, ${SPEECH_TEXT.length} characters, ${runs} runs interleaved`);
for (const [format, { ms, seconds }] of Object.entries(rows)) {
  console.log(
    `${format.padEnd(5)} ${describe(ms).padEnd(30)} ${(seconds / (median(ms) / 1000)).toFixed(0)}× real time (${seconds.toFixed(1)} s of audio)`,
  );
}
console.log(`first byte of ${long.length} characters (mp3): ${describe(firstBytes)}`);
