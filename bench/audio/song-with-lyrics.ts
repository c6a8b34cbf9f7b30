/**
 * A 24 s song with sung lyrics through the music engine to MP3, against the same request without
 * vocals (forceInstrumental) as the same-run baseline: the difference is the singing's cost.
 * Usage: node --import tsx bench/audio/song-with-lyrics.ts [runs]
 */
import { createMusicEngine } from '../../packages/server/dist/engines/music/music-engine.js';
import { musicRequest } from '../support/engine-requests.js';
import { countingSink, describe, median, timeRuns } from './common.js';

const runs = Number(process.argv[2] ?? 3);
const engine = createMusicEngine();
const request = musicRequest('happy pop song about summer', 24, {
  forceInstrumental: false,
  lyrics:
    '[Verse]\nWe ride along the silver shore tonight\nThe summer sun is fading into light\n[Chorus]\nSing it loud, sing it clear\nSummer love is finally here',
  seed: 5,
});
const generate = (forceInstrumental: boolean) => () =>
  engine.generate({ ...request, forceInstrumental }, countingSink(), { signal: new AbortController().signal, onProgress: () => {} });
await generate(false)();
const sung: number[] = [];
const plain: number[] = [];
for (let run = 0; run < runs; run++) {
  sung.push(...(await timeRuns(1, generate(false))));
  plain.push(...(await timeRuns(1, generate(true))));
}
await engine.close?.();
console.log(`24 s song to MP3, ${runs} runs interleaved`);
console.log(`with lyrics     ${describe(sung)}`);
console.log(`instrumental    ${describe(plain)} (baseline)`);
console.log(`singing costs   ${(median(sung) - median(plain)).toFixed(0)} ms`);
