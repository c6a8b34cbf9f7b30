import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeForRequest, createMusicEngine } from '../../packages/server/dist/engines/music/music-engine.js';
import type { EngineRequest } from '../../packages/server/dist/ports/engine.js';
import type { Row } from '../support/context.js';
import { LOAD } from '../support/load.js';
import { scoreToMidi } from '../support/midi-file.js';
import { ensureDebianPackages, timeShell, wavSeconds } from '../support/native-tools.js';
import type { Figure } from '../support/result.js';
import { median } from '../support/stats.js';

const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
const request: EngineRequest = {
  modelId: 'overture-music',
  modelType: 'music',
  requestId: 'bench',
  options: {},
  prompt: 'uplifting indie folk with acoustic guitar and drums',
  durationSeconds: 60,
  forceInstrumental: true,
  lyricsOptimizer: false,
  loop: false,
  speed: 1,
  format: 'mp3',
  seed: 7,
};

/**
 * Music, 60 s stereo MP3 end to end with `createMusicEngine()` in this process (after two warm-ups),
 * against fluidsynth + lame rendering the same composed notes exported as a Standard MIDI File.
 */
export const musicRow: Row = {
  id: 'music',
  async run(): Promise<Figure[]> {
    const engine = createMusicEngine();
    const options = { signal: new AbortController().signal, onProgress: () => undefined };
    const compose = async () => {
      const started = performance.now();
      const result = await engine.generate(request, { write: async () => undefined }, options);
      return result.durationSeconds / ((performance.now() - started) / 1000);
    };
    const factors: number[] = [];
    try {
      // Two warm-ups: the render worker thread and the WebAssembly encoder tier up on the first calls.
      for (let warmUp = 0; warmUp < 2; warmUp++) await compose();
      for (let run = 0; run < LOAD.runs; run++) factors.push(await compose());
    } finally {
      await engine.close?.();
    }
    const overture = median(factors);
    const missing = ensureDebianPackages(['fluidsynth', 'lame', 'fluid-soundfont-gm'], ['fluidsynth', 'lame'], [SOUNDFONT]);
    let native: number | undefined;
    const directory = mkdtempSync(join(tmpdir(), 'overture-bench-music-'));
    try {
      if (!missing) {
        const midi = join(directory, 'score.mid');
        writeFileSync(midi, scoreToMidi(composeForRequest(request)));
        const wav = join(directory, 'music.wav');
        const pipeline = `fluidsynth -ni -q -r 44100 -O s16 -T wav -F ${wav} ${SOUNDFONT} ${midi} && lame --quiet -b 192 ${wav} ${join(directory, 'music.mp3')}`;
        timeShell(pipeline);
        const seconds = wavSeconds(readFileSync(wav));
        const natives: number[] = [];
        for (let run = 0; run < LOAD.runs; run++) natives.push(seconds / (timeShell(pipeline) / 1000));
        native = median(natives);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    return [
      {
        row: 'music',
        name: 'music, 60 s stereo MP3 end to end: × real time',
        value: overture,
        unit: '×',
        baseline: { label: 'fluidsynth + lame, same notes', value: native },
        target: '≥ 40× real time',
        met: overture >= 40,
        runs: factors,
        ...(missing ? { note: `baseline not measured: ${missing}` } : {}),
      },
    ];
  },
};
