import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createMusicEngine } from '../../../src/engines/music/music-engine.js';
import { decodeWav, MemorySink } from '../../support/audio-decode.js';
import { callOptions, musicRequest } from './support/music-request.js';
import { estimateKey, PITCH_CLASSES } from './support/key-estimate.js';

const engine = createMusicEngine();
after(() => engine.close?.());

/** The same key signature: the key itself or its relative (A minor ~ C major). */
function signatureOf(tonic: string, mode: 'major' | 'minor'): number {
  const index = PITCH_CLASSES.indexOf(tonic);
  return mode === 'major' ? index : (index + 3) % 12;
}

test('the asked key is what a standard key-finding method (Krumhansl–Schmuckler) recovers from the audio', async () => {
  const cases = [
    ['calm pop song in A minor', 3, 'A', 'minor'],
    ['bright country song in E major', 5, 'E', 'major'],
    ['jazz ballad in C major', 7, 'C', 'major'],
    ['dark ambient piece in D minor', 2, 'D', 'minor'],
    ['indie folk in G major', 9, 'G', 'major'],
    ['lo-fi beat in F# minor', 4, 'F#', 'minor'],
  ] as const;
  let exact = 0;
  for (const [prompt, seed, tonic, mode] of cases) {
    const sink = new MemorySink();
    await engine.generate(musicRequest({ prompt, durationSeconds: 12, seed }), sink, callOptions());
    const found = estimateKey(decodeWav(sink.bytes()));
    assert.equal(signatureOf(found.tonic, found.mode), signatureOf(tonic, mode), `${prompt}: found ${found.tonic} ${found.mode}`);
    if (found.tonic === tonic && found.mode === mode) exact++;
  }
  assert.ok(exact >= 5, `${exact} of ${cases.length} exact (the rest may only be the relative key)`);
});
