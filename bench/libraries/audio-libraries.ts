// Hand-written audio code against the npm library that does the same, on the same input in the
// same run (docs/dependencies.md records the results). The libraries are not dependencies: install
// them in a scratch directory and point OVERTURE_BENCH_LIBRARIES at its node_modules, e.g.
//   (cd /tmp/libs && npm init -y && npm install wave-resampler ebur128-wasm)
//   npm run build && OVERTURE_BENCH_LIBRARIES=/tmp/libs/node_modules node --import tsx bench/libraries/audio-libraries.ts
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureIntegratedLoudness } from '../../packages/server/dist/audio/loudness-meter.js';
import { resample } from '../../packages/server/dist/audio/resample.js';

const libraries = process.env.OVERTURE_BENCH_LIBRARIES;
if (!libraries) throw new Error('set OVERTURE_BENCH_LIBRARIES to a node_modules holding wave-resampler and ebur128-wasm');
const load = async (name: string, file: string) =>
  (await import(pathToFileURL(join(libraries, name, file)).href)) as Record<string, unknown>;

/** Median wall time of `runs` calls, in milliseconds, after one warm-up. */
function median(runs: number, work: () => unknown): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

// Ten seconds of a chord with noise, 44.1 kHz mono: the same samples for both sides.
const rate = 44_100;
const samples = new Float32Array(rate * 10);
let seed = 1;
for (let i = 0; i < samples.length; i++) {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  const t = i / rate;
  samples[i] = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 330 * t) + 0.05 * (seed / 0x7fffffff - 0.5);
}
const audio = { sampleRate: rate, channels: [samples] };

const waveResampler = (await load('wave-resampler', 'index.js')) as {
  resample: (s: Float32Array, from: number, to: number, o?: object) => ArrayLike<number>;
};
const ours = median(5, () => resample(audio, 48_000));
const theirs = median(3, () => waveResampler.resample(samples, rate, 48_000, { method: 'sinc' }));
console.log(
  `resample 10 s 44.1→48 kHz: ours ${ours.toFixed(1)} ms, wave-resampler (sinc) ${theirs.toFixed(1)} ms, ratio ${(theirs / ours).toFixed(1)}×`,
);

// ebur128-wasm is built for bundlers (its glue imports the .wasm): link the two by hand.
const eburDirectory = join(libraries, 'ebur128-wasm');
const glue = (await readFile(join(eburDirectory, 'ebur128_wasm_bg.js'), 'utf8')).replace(
  /^import \* as wasm from .*$/m,
  'let wasm; export function setWasm(exports) { wasm = exports; }',
);
const ebur128 = (await import(`data:text/javascript,${encodeURIComponent(glue)}`)) as Record<string, unknown> & {
  setWasm: (exports: WebAssembly.Exports) => void;
  ebur128_integrated_mono: (rate: number, s: Float32Array) => number;
};
const { instance } = await WebAssembly.instantiate(await readFile(join(eburDirectory, 'ebur128_wasm_bg.wasm')), {
  './ebur128_wasm_bg.js': ebur128 as unknown as WebAssembly.ModuleImports,
});
ebur128.setWasm(instance.exports);
const oursLufs = measureIntegratedLoudness(audio);
const theirLufs = ebur128.ebur128_integrated_mono(rate, samples);
const oursMs = median(5, () => measureIntegratedLoudness(audio));
const theirMs = median(5, () => ebur128.ebur128_integrated_mono(rate, samples));
console.log(
  `integrated loudness of 10 s: ours ${oursLufs.toFixed(2)} LUFS in ${oursMs.toFixed(1)} ms, ebur128-wasm ${theirLufs.toFixed(2)} LUFS in ${theirMs.toFixed(1)} ms, ratio ${(theirMs / oursMs).toFixed(1)}×`,
);
