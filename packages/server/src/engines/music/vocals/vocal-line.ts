/** Put lyrics on the melody: one syllable per note, lines mapped to melody phrases. Pure. */
import type { MelodyNote, Score } from '../compose/score.js';
import { syllabifyLine } from './syllabify.js';

/** One sung syllable (the shape `singPhrase` takes). */
export interface VocalNote {
  readonly syllable: string;
  readonly midiPitch: number;
  readonly startSeconds: number;
  readonly durationSeconds: number;
}

/** A block of lyric lines, tagged by a "[Chorus]"-style header when the lyrics have one. */
export interface LyricBlock {
  readonly kind: 'verse' | 'chorus' | 'other';
  readonly lines: readonly string[];
}

const SHORTEST_NOTE_SECONDS = 0.11;

/** Split lyrics into blocks at "[Verse]", "[Chorus]", "Chorus:" headers or blank lines. */
export function parseLyrics(text: string): LyricBlock[] {
  const blocks: { kind: LyricBlock['kind']; lines: string[] }[] = [];
  let current: { kind: LyricBlock['kind']; lines: string[] } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header =
      /^(?:\[\s*(verse|chorus|refrain|hook|bridge|intro|outro|pre-chorus)[^\]]*\]|(verse|chorus|refrain|hook|bridge|intro|outro)\s*\d*\s*:?)$/i.exec(
        line,
      );
    if (header || line === '') {
      if (current && current.lines.length > 0) blocks.push(current);
      const name = (header?.[1] ?? header?.[2] ?? '').toLowerCase();
      current = {
        kind: name === 'chorus' || name === 'refrain' || name === 'hook' ? 'chorus' : name === 'verse' ? 'verse' : 'other',
        lines: [],
      };
      continue;
    }
    current ??= { kind: 'other', lines: [] };
    current.lines.push(line);
  }
  if (current && current.lines.length > 0) blocks.push(current);
  return blocks;
}

/** Fit syllables to a phrase's notes: split the longest notes when there are more syllables, merge when fewer. */
export function fitSyllables(syllables: readonly string[], notes: readonly MelodyNote[]): VocalNote[] {
  if (syllables.length === 0 || notes.length === 0) return [];
  const slots = notes.map((note) => ({ pitch: note.pitch, start: note.startSeconds, duration: note.durationSeconds }));
  while (slots.length < syllables.length) {
    let longest = 0;
    slots.forEach((slot, index) => {
      if (slot.duration > (slots[longest] as typeof slot).duration) longest = index;
    });
    const slot = slots[longest] as (typeof slots)[number];
    if (slot.duration / 2 < SHORTEST_NOTE_SECONDS) break;
    const half = slot.duration / 2;
    slots.splice(longest, 1, { ...slot, duration: half }, { ...slot, start: slot.start + half, duration: half });
  }
  const count = Math.min(slots.length, syllables.length);
  const sung: VocalNote[] = [];
  for (let index = 0; index < count; index++) {
    const slot = slots[index] as (typeof slots)[number];
    const isLast = index === count - 1;
    const end = isLast ? Math.max(...slots.map((other) => other.start + other.duration)) : slot.start + slot.duration;
    sung.push({ syllable: syllables[index] as string, midiPitch: slot.pitch, startSeconds: slot.start, durationSeconds: end - slot.start });
  }
  return sung;
}

/** Octave shift that puts the melody's median in a comfortable singing range (about G3..G4). */
export function vocalTransposition(melody: readonly MelodyNote[]): number {
  const sorted = melody.map((note) => note.pitch).sort((left, right) => left - right);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 62;
  let shift = 0;
  while (median + shift > 67) shift -= 12;
  while (median + shift < 55) shift += 12;
  return shift;
}

/** The whole vocal line: every melody phrase gets the next lyric line of the matching kind. */
export function buildVocalLine(score: Score, lyrics: string): VocalNote[] {
  const blocks = parseLyrics(lyrics);
  if (blocks.length === 0 || score.melody.length === 0) return [];
  const tagged = blocks.some((block) => block.kind !== 'other');
  const chorusLines = blocks.filter((block) => block.kind === 'chorus').flatMap((block) => block.lines);
  const otherLines = blocks.filter((block) => block.kind !== 'chorus').flatMap((block) => block.lines);
  const allLines = blocks.flatMap((block) => block.lines);
  const sectionAt = (seconds: number) => [...score.sections].reverse().find((section) => section.startSeconds <= seconds + 1e-6);
  const shift = vocalTransposition(score.melody);
  const phrases = new Map<number, MelodyNote[]>();
  for (const note of score.melody) phrases.set(note.phrase, [...(phrases.get(note.phrase) ?? []), { ...note, pitch: note.pitch + shift }]);
  const counters = { chorus: 0, other: 0, all: 0 };
  let previousSection: unknown;
  const sung: VocalNote[] = [];
  for (const notes of phrases.values()) {
    const section = sectionAt((notes[0] as MelodyNote).startSeconds);
    const isChorus = section?.kind === 'chorus' || section?.kind === 'drop';
    if (section !== previousSection && isChorus) counters.chorus = 0;
    previousSection = section;
    let line: string | undefined;
    if (tagged && isChorus && chorusLines.length > 0) line = chorusLines[counters.chorus++ % chorusLines.length];
    else if (tagged && otherLines.length > 0) line = otherLines[counters.other++ % otherLines.length];
    else line = allLines[counters.all++ % allLines.length];
    sung.push(...fitSyllables(syllabifyLine(line ?? ''), notes));
  }
  return sung;
}
