/**
 * MP3 encoder speed: 60 s of 44.1 kHz stereo through `encodeAudio` (the pipeline's path) against
 * LAME in WASM called directly with large blocks, and native `lame` when installed (same run).
 * Usage: node --import tsx bench/audio/mp3-encode.ts [seconds] [runs]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createMp3Encoder } from 'wasm-media-encoders';
import { encodeAudio } from '../../packages/server/dist/audio/encode-audio.js';
import { encodeMp3InParallel } from '../../packages/server/dist/audio/parallel-mp3.js';
import { closeRenderWorker, encodeMp3TailInWorker } from '../../packages/server/dist/engines/music/render/render-pool.js';
import { writeWav } from '../../packages/server/dist/audio/wav-encoder.js';
import { countingSink, describe, median, testSignal, timeRuns } from './common.js';

const seconds = Number(process.argv[2] ?? 60);
const runs = Number(process.argv[3] ?? 5);
const plain = testSignal(seconds);
// In shared memory, as the music engine's mix is, so the worker reads it without a copy.
const audio = {
  sampleRate: plain.sampleRate,
  channels: plain.channels.map((data) => {
    const shared = new Float32Array(new SharedArrayBuffer(data.length * 4));
    shared.set(data);
    return shared;
  }),
};

const rawWasm = async () => {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate: 44100, channels: 2, bitrate: 128, outputSampleRate: 44100 });
  let total = 0;
  const block = 1152 * 256;
  const frames = audio.channels[0]!.length;
  for (let start = 0; start < frames; start += block) {
    total += encoder.encode(audio.channels.map((data) => data.subarray(start, Math.min(frames, start + block)))).length;
  }
  return total + encoder.finalize().length;
};
const pipeline = async () => {
  const sink = countingSink();
  await encodeAudio(audio, 'mp3', sink);
  return sink.total;
};

const twoThreads = async () => {
  const sink = countingSink();
  await encodeMp3InParallel(audio, sink, encodeMp3TailInWorker);
  return sink.total;
};
// Warm up every path once.
await rawWasm();
await pipeline();
await twoThreads();
const rows: [string, number[]][] = [];
for (let round = 0; round < runs; round++) {
  // Interleave so that machine noise hits both alike.
  rows.push(
    ['wasm direct', await timeRuns(1, rawWasm)],
    ['encodeAudio mp3', await timeRuns(1, pipeline)],
    ['two threads (music)', await timeRuns(1, twoThreads)],
  );
}
const merged = new Map<string, number[]>();
for (const [name, times] of rows) merged.set(name, [...(merged.get(name) ?? []), ...times]);

const wavSink = countingSink(true);
await writeWav(audio, wavSink);
const wavPath = '/tmp/overture-bench-mp3.wav';
writeFileSync(wavPath, Buffer.concat(wavSink.chunks));
const lame = spawnSync('lame', ['--version'], { encoding: 'utf8' });
if (lame.status === 0) {
  merged.set(
    'native lame -b128',
    await timeRuns(runs, () => spawnSync('lame', ['--quiet', '-b', '128', '--cbr', wavPath, '/tmp/overture-bench.mp3'])),
  );
}
await closeRenderWorker();
console.log(`MP3 encode of ${seconds} s stereo 44.1 kHz, ${runs} runs interleaved`);
for (const [name, times] of merged) {
  console.log(`${name.padEnd(20)} ${describe(times).padEnd(32)} ${(seconds / (median(times) / 1000)).toFixed(0)}× real time`);
}
