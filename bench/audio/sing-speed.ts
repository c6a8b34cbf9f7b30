/**
 * Singing speed: `singPhrase` on a lyric line of syllables (ms per syllable), first call (cold
 * caches) and again (warm), with eSpeak's plain speech of the same text as the same-run baseline.
 * Usage: node --import tsx bench/audio/sing-speed.ts [syllables]
 */
import { singPhrase, type SungNote } from '../../packages/server/dist/engines/speech/sing.js';
import { withSynthesizer } from '../../packages/server/dist/engines/speech/speech-synthesizer.js';

const count = Number(process.argv[2] ?? 48);
const words = ['love', 'you', 'to', 'night', 'in', 'the', 'sum', 'mer', 'rain', 'we', 'are', 'young'];
const notes: SungNote[] = Array.from({ length: count }, (_, index) => ({
  syllable: words[index % words.length] as string,
  midiPitch: 60 + ((index * 5) % 12),
  startSeconds: index * 0.5,
  durationSeconds: 0.45,
}));
await withSynthesizer((instance) => instance.synthesize('warm up', { language: 'en-us', rate: 175, range: 50 }));
const speakStart = performance.now();
await withSynthesizer((instance) =>
  instance.synthesize(notes.map((note) => note.syllable).join(' '), { language: 'en-us', rate: 175, range: 50 }),
);
const speakMs = performance.now() - speakStart;
for (const label of ['first', 'again']) {
  const start = performance.now();
  await singPhrase(notes, { sampleRate: 44100 });
  const ms = performance.now() - start;
  console.log(`singPhrase ${label}: ${count} syllables in ${ms.toFixed(0)} ms = ${(ms / count).toFixed(1)} ms per syllable`);
}
console.log(`baseline: eSpeak speaking the same ${count} words in one call: ${speakMs.toFixed(0)} ms`);
