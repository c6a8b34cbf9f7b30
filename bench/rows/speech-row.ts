import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSpeechEngine } from '../../packages/server/dist/engines/speech/speech-engine.js';
import { SPEECH_TEXT } from '../support/bench-text.js';
import type { Row } from '../support/context.js';
import { realTimeFactors, realTimeFigure, speechRequest } from '../support/engine-requests.js';
import { ensureDebianPackages, nativeRealTimeFactor } from '../support/native-tools.js';
import type { Figure } from '../support/result.js';

const request = speechRequest('overture-tts', SPEECH_TEXT);

/**
 * Speech, 1,000 characters to MP3 with `createSpeechEngine()` in this process (after three warm-ups),
 * against native `espeak-ng --stdout | lame` on the same text. Real-time factor = audio s / wall s.
 */
export const speechRow: Row = {
  id: 'speech',
  async run(): Promise<Figure[]> {
    // V8 compiles WebAssembly in tiers: the first calls run eSpeak NG and LAME on baseline code
    // (105–125× here, then ~150× from the fourth call on). A server is measured warm.
    const factors = await realTimeFactors(createSpeechEngine(), request, 3);
    const missing = ensureDebianPackages(['espeak-ng', 'lame'], ['espeak-ng', 'lame']);
    const native = missing
      ? undefined
      : nativeRealTimeFactor('speech', (directory) => {
          const text = join(directory, 'text.txt');
          writeFileSync(text, SPEECH_TEXT);
          const wav = join(directory, 'speech.wav');
          return {
            render: `espeak-ng -v en -f ${text} -w ${wav}`,
            wav,
            pipeline: `espeak-ng -v en -f ${text} --stdout | lame --quiet -b 128 - ${join(directory, 'speech.mp3')}`,
          };
        });
    const name = `speech, ${SPEECH_TEXT.length.toLocaleString('en-US')} characters → MP3: × real time`;
    return [realTimeFigure('speech', name, factors, { label: 'espeak-ng + lame', value: native, missing }, 100)];
  },
};
