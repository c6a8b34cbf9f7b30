import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeForRequest, createMusicEngine } from '../../packages/server/dist/engines/music/music-engine.js';
import type { Row } from '../support/context.js';
import { musicRequest, realTimeFactors, realTimeFigure } from '../support/engine-requests.js';
import { scoreToMidi } from '../support/midi-file.js';
import { ensureDebianPackages, nativeRealTimeFactor } from '../support/native-tools.js';
import type { Figure } from '../support/result.js';

const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
const request = musicRequest('uplifting indie folk with acoustic guitar and drums', 60);

/**
 * Music, 60 s stereo MP3 end to end with `createMusicEngine()` in this process (after two warm-ups),
 * against fluidsynth + lame rendering the same composed notes exported as a Standard MIDI File.
 */
export const musicRow: Row = {
  id: 'music',
  async run(): Promise<Figure[]> {
    // Two warm-ups: the render worker thread and the WebAssembly encoder tier up on the first calls.
    const factors = await realTimeFactors(createMusicEngine(), request, 2);
    const missing = ensureDebianPackages(['fluidsynth', 'lame', 'fluid-soundfont-gm'], ['fluidsynth', 'lame'], [SOUNDFONT]);
    const native = missing
      ? undefined
      : nativeRealTimeFactor('music', (directory) => {
          const midi = join(directory, 'score.mid');
          writeFileSync(midi, scoreToMidi(composeForRequest(request)));
          const wav = join(directory, 'music.wav');
          const pipeline = `fluidsynth -ni -q -r 44100 -O s16 -T wav -F ${wav} ${SOUNDFONT} ${midi} && lame --quiet -b 192 ${wav} ${join(directory, 'music.mp3')}`;
          return { render: pipeline, wav, pipeline };
        });
    const baseline = { label: 'fluidsynth + lame, same notes', value: native, missing };
    return [realTimeFigure('music', 'music, 60 s stereo MP3 end to end: × real time', factors, baseline, 40)];
  },
};
