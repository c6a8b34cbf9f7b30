/**
 * Music pipeline speed: a 60 s stereo MP3 through the whole engine (compose, render, master, encode)
 * against, in the same run, a bare single-thread spessasynth render of the same score (the floor
 * the pipeline is built on). Reports wall and CPU time per stage; median of several runs.
 * Usage: node --import tsx bench/audio/music-pipeline.ts [seconds] [runs] [prompt]
 */
import { createMusicEngine, composeForRequest, MUSIC_SAMPLE_RATE } from '../../packages/server/dist/engines/music/music-engine.js';
import { renderScore } from '../../packages/server/dist/engines/music/render/render-score.js';
import { musicRequest } from '../support/engine-requests.js';
import { busiestThread, countingSink, describe, median, threadCpuTimes } from './common.js';

const seconds = Number(process.argv[2] ?? 60);
const runs = Number(process.argv[3] ?? 5);
const prompt = process.argv[4] ?? 'upbeat pop song with piano, bass and drums';
const request = musicRequest(prompt, seconds);
const engine = createMusicEngine();

const bareRender = async () => {
  const score = composeForRequest(request);
  await renderScore(score, { sampleRate: MUSIC_SAMPLE_RATE, frames: seconds * MUSIC_SAMPLE_RATE, onBlock: () => {} });
};
const whole = async () => {
  const sink = countingSink();
  const stages: Record<string, number> = {};
  let stage = '';
  let since = performance.now();
  await engine.generate(request, sink, {
    signal: new AbortController().signal,
    onProgress: (_fraction, name) => {
      if (!name || name === stage) return;
      const now = performance.now();
      if (stage) stages[stage] = (stages[stage] ?? 0) + now - since;
      stage = name;
      since = now;
    },
  });
  stages[stage] = (stages[stage] ?? 0) + performance.now() - since;
  return stages;
};

await bareRender();
await whole();
const wall: Record<string, number[]> = { 'bare render (1 thread)': [], 'engine → mp3': [] };
const cpu: Record<string, number[]> = { 'bare render (1 thread)': [], 'engine → mp3': [] };
const stageTimes: Record<string, number[]> = {};
const critical: Record<string, number[]> = { 'bare render (1 thread)': [], 'engine → mp3': [] };
for (let run = 0; run < runs; run++) {
  for (const name of Object.keys(wall)) {
    const started = performance.now();
    const usage = process.cpuUsage();
    const threads = threadCpuTimes();
    if (name === 'engine → mp3') {
      const stages = await whole();
      for (const [stage, ms] of Object.entries(stages)) (stageTimes[stage] ??= []).push(ms);
    } else await bareRender();
    wall[name]!.push(performance.now() - started);
    critical[name]!.push(busiestThread(threads, threadCpuTimes()).busiest);
    const used = process.cpuUsage(usage);
    cpu[name]!.push((used.user + used.system) / 1000);
  }
}
await engine.close?.();
console.log(`${seconds} s, "${prompt}", ${runs} runs interleaved; cpu = this process's user+system (all threads);`);
console.log('busiest thread = CPU of the busiest thread, a lower bound of the wall time on an idle machine');
for (const name of Object.keys(wall)) {
  console.log(
    `${name.padEnd(24)} wall ${describe(wall[name]!).padEnd(30)} ${(seconds / (median(wall[name]!) / 1000)).toFixed(1)}× real time; cpu ${median(cpu[name]!).toFixed(0)} ms; busiest thread ${median(critical[name]!).toFixed(0)} ms = ${(seconds / (median(critical[name]!) / 1000)).toFixed(1)}×`,
  );
}
for (const [stage, times] of Object.entries(stageTimes)) console.log(`  stage ${stage.padEnd(10)} ${describe(times)}`);
