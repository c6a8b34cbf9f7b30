/** Compose a whole piece from a brief: deterministic for a given seed. Pure. */
import type { MusicBrief } from '../prompt/parse-prompt.js';
import { GENRES } from '../prompt/vocabulary-genres.js';
import { createRandom } from '../../seeded-random.js';
import { planArrangement, type Arrangement } from './arrangement.js';
import type { BarContext } from './bar-context.js';
import { writeBassBar } from './bass-line.js';
import { chooseChannels, choosePrograms } from './channel-setup.js';
import { writeCompingBar, writeCounterBar, writePadBar } from './chord-parts.js';
import { writeDrumBar } from './drum-part.js';
import { GENRE_STYLES } from './genre-styles.js';
import { parseProgression, SCALES, voiceChord, rootPitch, type Chord } from './harmony.js';
import { sectionMotifs, writeMelodyBar, type MelodyState, type SectionMotifs } from './melody.js';
import { beatToSeconds, CHANNEL, type BeatNote, type MelodyNote, type Score, type ScoreNote } from './score.js';
import { styleForBrief } from './style-for-brief.js';

/** What to compose. */
export interface CompositionRequest {
  readonly brief: MusicBrief;
  readonly durationSeconds: number;
  readonly seed: number;
  readonly loop: boolean;
}

const COMMON_TONICS = [0, 2, 4, 5, 7, 9, 10, 3];

/** Compose the piece: arrangement, harmony, parts; returns the event list in seconds. */
export function composeSong(request: CompositionRequest): Score {
  const { brief } = request;
  const random = createRandom(request.seed);
  const style = styleForBrief(brief, GENRE_STYLES[brief.genre], choosePrograms(brief, GENRE_STYLES[brief.genre]));
  const genre = GENRES.find((row) => row.id === brief.genre);
  const keyRandom = random.fork('key');
  const mode = brief.mode ?? (keyRandom.chance(genre?.minorBias ?? 0.4) ? 'minor' : 'major');
  const tonic = brief.tonic ?? keyRandom.pick(COMMON_TONICS);
  const scale = SCALES[mode];
  const arrangement = planArrangement({
    durationSeconds: request.durationSeconds,
    bpm: brief.bpm,
    bpmExplicit: brief.bpmExplicit,
    loop: request.loop,
    genre: brief.genre,
    energy: brief.energy,
    structure: brief.structure,
  });
  const channels = chooseChannels(brief, style);
  const has = (channel: number) => channels.some((setup) => setup.channel === channel);
  const progressionRandom = random.fork('progression');
  const options = style.progressions[mode];
  const progressionFor = new Map<string, Chord[]>();
  const chordsOf = (kind: string) => {
    let chords = progressionFor.get(kind);
    if (!chords) {
      const text = kind === 'chorus' || kind === 'drop' ? (options[0] as string) : progressionRandom.pick(options);
      chords = parseProgression(text);
      progressionFor.set(kind, chords);
    }
    return chords;
  };
  const motifs = new Map<string, SectionMotifs>();
  const melodyState: MelodyState = { pitch: style.melodyCenter };
  const beatNotes: BeatNote[] = [];
  const singable = new Set(['verse', 'chorus', 'drop', 'bridge']);
  const onlySection = arrangement.sections.length === 1;
  for (const section of arrangement.sections) {
    const chords = chordsOf(section.kind);
    let sectionMotif = motifs.get(section.kind);
    if (!sectionMotif) {
      sectionMotif = sectionMotifs(random, section.kind, style.melodyDensity);
      motifs.set(section.kind, sectionMotif);
    }
    for (let barInSection = 0; barInSection < section.bars; barInSection++) {
      const bar = section.startBar + barInSection;
      const chordIndex = Math.floor(barInSection / style.barsPerChord);
      const context: BarContext = {
        bar,
        barInSection,
        section,
        style,
        tonic,
        scale,
        chord: chords[chordIndex % chords.length] as Chord,
        nextChord: chords[(chordIndex + 1) % chords.length] as Chord,
        random: random.fork(`bar-${bar}`),
      };
      const last = barInSection === section.bars - 1;
      // "Call and response": the lead calls in even bars, the counter-line answers in odd ones.
      const answer = brief.callAndResponse && has(CHANNEL.counter) && barInSection % 2 === 1;
      const sings = singable.has(section.kind) || onlySection;
      if (has(CHANNEL.lead) && sings && !answer) beatNotes.push(...writeMelodyBar(context, sectionMotif, melodyState));
      if (has(CHANNEL.chords) && (section.kind !== 'breakdown' || section.level > 0.2)) beatNotes.push(...writeCompingBar(context));
      if (has(CHANNEL.pad)) beatNotes.push(...writePadBar(context));
      if (has(CHANNEL.bass) && section.level >= 0.3 && section.kind !== 'breakdown') beatNotes.push(...writeBassBar(context));
      if (has(CHANNEL.counter) && (answer ? sings : section.level >= 0.6 && !brief.callAndResponse))
        beatNotes.push(...writeCounterBar(context));
      if (has(CHANNEL.drums)) beatNotes.push(...writeDrumBar(context, last));
    }
  }
  if (arrangement.endingStartSeconds !== undefined)
    beatNotes.push(
      ...finalChord(
        arrangement,
        tonic,
        mode,
        channels.map((setup) => setup.channel),
      ),
    );
  return { ...toScore(beatNotes, arrangement, style.swing, channels), key: { tonic, mode }, texture: brief.texture };
}

function finalChord(arrangement: Arrangement, tonic: number, mode: 'major' | 'minor', channels: readonly number[]): BeatNote[] {
  const beat = arrangement.musicBars * 4;
  const beats = ((arrangement.durationSeconds - (arrangement.endingStartSeconds ?? 0)) * arrangement.bpm) / 60;
  const chord = parseProgression(mode === 'major' ? 'I' : 'i')[0] as Chord;
  const notes: BeatNote[] = [];
  const add = (channel: number, pitches: readonly number[], velocity: number) => {
    if (channels.includes(channel)) for (const pitch of pitches) notes.push({ channel, pitch, velocity, beat, beats });
  };
  add(CHANNEL.chords, voiceChord(chord, tonic, 60, 4), 80);
  add(CHANNEL.pad, voiceChord(chord, tonic, 57, 4), 70);
  add(CHANNEL.bass, [rootPitch(chord, tonic, 33)], 96);
  add(CHANNEL.lead, [rootPitch(chord, tonic, 67)], 84);
  add(CHANNEL.drums, [49, 36], 100);
  return notes;
}

function toScore(beatNotes: readonly BeatNote[], arrangement: Arrangement, swing: number, channels: Score['channels']): Score {
  const { bpm, durationSeconds } = arrangement;
  const notes: ScoreNote[] = [];
  const limit = arrangement.loop ? durationSeconds : durationSeconds + 0.001;
  for (const note of beatNotes) {
    const start = beatToSeconds(note.beat, bpm, swing);
    if (start >= limit - 0.01) continue;
    const end = Math.min(beatToSeconds(note.beat + note.beats, bpm, swing), arrangement.loop ? Infinity : durationSeconds);
    notes.push({
      channel: note.channel,
      pitch: note.pitch,
      velocity: note.velocity,
      startSeconds: start,
      durationSeconds: Math.max(0.02, end - start),
    });
  }
  notes.sort((left, right) => left.startSeconds - right.startSeconds || left.channel - right.channel || left.pitch - right.pitch);
  const melody: MelodyNote[] = notes
    .filter((note) => note.channel === CHANNEL.lead && note.startSeconds < (arrangement.endingStartSeconds ?? Infinity))
    .map((note) => ({
      pitch: note.pitch,
      startSeconds: note.startSeconds,
      durationSeconds: note.durationSeconds,
      phrase: Math.floor(note.startSeconds / (arrangement.barSeconds * 2) + 1e-6),
    }));
  const sections = arrangement.sections.map((section) => ({ kind: section.kind, startSeconds: section.startBar * arrangement.barSeconds }));
  return { durationSeconds, bpm, channels, notes, fade: arrangement.fade, loop: arrangement.loop, melody, sections };
}
