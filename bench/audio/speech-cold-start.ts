/**
 * Cold start of speech: in a fresh process, the time from the first request to its first MP3 byte
 * (includes creating the eSpeak instance; the engine is created 2 s earlier, as a server starts), against a second request in the same process (warm, the baseline).
 * Usage: node --import tsx bench/audio/speech-cold-start.ts
 */
import { createSpeechEngine } from '../../packages/server/dist/engines/speech/speech-engine.js';
import { speechRequest } from '../support/engine-requests.js';
import { countingSink } from './common.js';

const engine = createSpeechEngine();
await new Promise((resolve) => setTimeout(resolve, 2000));
const firstByte = async () => {
  const sink = countingSink();
  const started = performance.now();
  await engine.generate(speechRequest('tts-kokoro', 'Hello there. This is a short test of the first byte.'), sink, {
    signal: new AbortController().signal,
    onProgress: () => {},
  });
  return (sink.firstAt ?? performance.now()) - started;
};
const cold = await firstByte();
const warm = await firstByte();
console.log(
  `first byte: cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms (baseline); RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
);
