import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSpeechEngine } from '../../packages/server/dist/engines/speech/speech-engine.js';
import type { EngineRequest } from '../../packages/server/dist/ports/engine.js';
import { SPEECH_TEXT } from '../support/bench-text.js';
import type { Row } from '../support/context.js';
import { LOAD } from '../support/load.js';
import { ensureDebianPackages, timeShell, wavSeconds } from '../support/native-tools.js';
import type { Figure } from '../support/result.js';
import { median } from '../support/stats.js';

const request: EngineRequest = {
  modelId: 'overture-tts',
  modelType: 'tts',
  requestId: 'bench',
  options: {},
  prompt: SPEECH_TEXT,
  forceInstrumental: false,
  lyricsOptimizer: false,
  loop: false,
  speed: 1,
  format: 'mp3',
  seed: 1,
};

/**
 * Speech, 1,000 characters to MP3 with `createSpeechEngine()` in this process (after three warm-ups),
 * against native `espeak-ng --stdout | lame` on the same text. Real-time factor = audio s / wall s.
 */
export const speechRow: Row = {
  id: 'speech',
  async run(): Promise<Figure[]> {
    const engine = createSpeechEngine();
    const controller = new AbortController();
    const options = { signal: controller.signal, onProgress: () => undefined };
    const sink = { write: async () => undefined };
    const speak = async () => {
      const started = performance.now();
      const result = await engine.generate(request, sink, options);
      return result.durationSeconds / ((performance.now() - started) / 1000);
    };
    // V8 compiles WebAssembly in tiers: the first calls run eSpeak NG and LAME on baseline code
    // (105–125× here, then ~150× from the fourth call on). A server is measured warm.
    for (let warmUp = 0; warmUp < 3; warmUp++) await speak();
    const factors: number[] = [];
    for (let run = 0; run < LOAD.runs; run++) factors.push(await speak());
    await engine.close?.();
    const overture = median(factors);
    const missing = ensureDebianPackages(['espeak-ng', 'lame'], ['espeak-ng', 'lame']);
    let native: number | undefined;
    const directory = mkdtempSync(join(tmpdir(), 'overture-bench-speech-'));
    try {
      if (!missing) {
        const text = join(directory, 'text.txt');
        writeFileSync(text, SPEECH_TEXT);
        const wav = join(directory, 'speech.wav');
        timeShell(`espeak-ng -v en -f ${text} -w ${wav}`);
        const seconds = wavSeconds(readFileSync(wav));
        const natives: number[] = [];
        for (let run = 0; run < LOAD.runs; run++)
          natives.push(
            seconds / (timeShell(`espeak-ng -v en -f ${text} --stdout | lame --quiet -b 128 - ${join(directory, 'speech.mp3')}`) / 1000),
          );
        native = median(natives);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    return [
      {
        row: 'speech',
        name: `speech, ${SPEECH_TEXT.length.toLocaleString('en-US')} characters → MP3: × real time`,
        value: overture,
        unit: '×',
        baseline: { label: 'espeak-ng + lame', value: native },
        target: '≥ 100× real time',
        met: overture >= 100,
        runs: factors,
        ...(missing ? { note: `baseline not measured: ${missing}` } : {}),
      },
    ];
  },
};
