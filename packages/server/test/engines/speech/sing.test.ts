import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatePitch } from '../../../src/engines/speech/pitch-estimate.js';
import { midiToFrequency, singPhrase, type SungNote } from '../../../src/engines/speech/sing.js';

const SAMPLE_RATE = 44100;

function rms(samples: Float32Array, start: number, end: number): number {
  let sum = 0;
  for (let index = start; index < end; index++) sum += (samples[index] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, end - start));
}

describe('singPhrase', () => {
  it('sings each syllable within ±1 % of its pitch, at its start, for its duration', async () => {
    const syllables = ['la', 'love', 'you', 'oh', 'my', 'heart', 'so', 'high', 'ah', 'me'];
    const pitches = [43, 48, 52, 57, 60, 64, 67, 71, 74, 79];
    const notes: SungNote[] = pitches.map((midiPitch, index) => ({
      syllable: syllables[index] as string,
      midiPitch,
      startSeconds: 0.1 + index * 0.55,
      durationSeconds: index % 3 === 0 ? 0.25 : 0.45,
    }));
    const audio = await singPhrase(notes, { sampleRate: SAMPLE_RATE, voice: 'ava' });
    assert.equal(audio.sampleRate, SAMPLE_RATE);
    const samples = audio.channels[0] as Float32Array;
    const last = notes.at(-1)!;
    assert.equal(samples.length, Math.ceil((last.startSeconds + last.durationSeconds) * SAMPLE_RATE));
    for (const note of notes) {
      const target = midiToFrequency(note.midiPitch);
      const start = Math.round((note.startSeconds + note.durationSeconds * 0.35) * SAMPLE_RATE);
      const end = Math.round((note.startSeconds + note.durationSeconds * 0.85) * SAMPLE_RATE);
      const measured = estimatePitch(samples.subarray(start, end), SAMPLE_RATE, { minHz: target / 1.6, maxHz: target * 1.6 });
      assert.ok(
        Math.abs(measured / target - 1) < 0.01,
        `${note.syllable} at MIDI ${note.midiPitch}: ${measured.toFixed(2)} Hz, want ${target.toFixed(2)}`,
      );
      // Sound inside the note, silence in the gap before it.
      const noteStart = Math.round(note.startSeconds * SAMPLE_RATE);
      const noteEnd = Math.round((note.startSeconds + note.durationSeconds) * SAMPLE_RATE);
      assert.ok(rms(samples, noteStart, noteEnd) > 0.02, `${note.syllable} is audible`);
      assert.ok(rms(samples, noteStart - Math.round(0.05 * SAMPLE_RATE), noteStart) < 1e-6, `silence before ${note.syllable}`);
    }
  });

  it('holds a long vowel for a long note and is deterministic', async () => {
    const notes: SungNote[] = [{ syllable: 'aah', midiPitch: 62, startSeconds: 0, durationSeconds: 2 }];
    const first = await singPhrase(notes, { sampleRate: 24000, voice: 'noah' });
    const samples = first.channels[0] as Float32Array;
    assert.equal(samples.length, 48000);
    for (const at of [0.3, 0.9, 1.5]) {
      const start = Math.round(at * 24000);
      assert.ok(rms(samples, start, start + 4800) > 0.02, `audible at ${at} s`);
      const pitch = estimatePitch(samples.subarray(start, start + 4800), 24000, { minHz: 200, maxHz: 400 });
      assert.ok(Math.abs(pitch / midiToFrequency(62) - 1) < 0.01, `pitch ${pitch} at ${at} s`);
    }
    const second = await singPhrase(notes, { sampleRate: 24000, voice: 'noah' });
    assert.deepEqual(second.channels[0], samples);
  });

  it('returns silence of the right length for notes without letters', async () => {
    const audio = await singPhrase([{ syllable: '-', midiPitch: 60, startSeconds: 0, durationSeconds: 0.5 }], { sampleRate: 16000 });
    assert.equal((audio.channels[0] as Float32Array).length, 8000);
    assert.equal(rms(audio.channels[0] as Float32Array, 0, 8000), 0);
  });
});
