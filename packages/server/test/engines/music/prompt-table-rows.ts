/**
 * Music prompts written the way people type them into Venice, ElevenLabs Music and Suno, with
 * what the composed score must contain. Checked by prompt-table.test.ts against the score of
 * `composeForRequest` (parts and GM programs, drums, tempo, key, form, note density, drum feel,
 * texture), so every row fails when the engine stops doing what the prompt says.
 */
import type { GenreId } from '../../../src/engines/music/prompt/vocabulary-genres.js';

/** A part of the score, by channel set-up name. */
export type Part = 'lead' | 'chords' | 'pad' | 'bass' | 'counter' | 'drums';
/** Inclusive range. */
export type Range = readonly [number, number];

/** One prompt and what its score must contain. */
export interface MusicPromptRow {
  readonly prompt: string;
  /** Seconds; 30 unless set (form rows need room for their sections). */
  readonly duration?: number;
  readonly genre?: GenreId;
  /** Parts that must play notes, each with its GM program (drums: kit), or null for any program. */
  readonly plays?: Partial<Record<Part, number | null>>;
  /** Parts that must not play at all. */
  readonly silent?: readonly Part[];
  /** Programs no part may use. */
  readonly noProgram?: readonly number[];
  readonly bpm?: number | Range;
  readonly tonic?: number;
  readonly mode?: 'major' | 'minor';
  readonly form?: { readonly has?: readonly string[]; readonly lacks?: readonly string[] };
  /** Distinct note onsets per second in the body (verse, chorus, bridge, drop). */
  readonly onsetsPerSecond?: Range;
  /** Drum feel, checked on body bars that are not fills. */
  readonly groove?: 'four-on-the-floor' | 'one-drop' | 'half-time' | 'double-time' | 'blast-beat' | 'walking-bass' | 'call-and-response';
  readonly texture?: { readonly noise?: Range; readonly rollOffHz?: Range | 'none'; readonly saturation?: Range };
}

const CLEAN = { noise: [0, 0], rollOffHz: 'none', saturation: [0, 0] } as const;
const LOUD_KIT = ['pad', 'counter'] as const;

/** The table. */
export const MUSIC_PROMPT_TABLE: readonly MusicPromptRow[] = [
  // Solo instruments and what "solo", "only", "just", "unaccompanied" leave out.
  {
    prompt: 'Melancholic solo piano ballad in C minor, slow, 66 BPM',
    plays: { lead: 0, chords: 0, bass: 0 },
    silent: ['pad', 'drums', 'counter'],
    bpm: 66,
    tonic: 0,
    mode: 'minor',
    texture: CLEAN,
  },
  { prompt: 'solo acoustic guitar, fingerpicked, warm and intimate', plays: { lead: 25, chords: 25 }, silent: ['bass', 'pad', 'drums'] },
  {
    prompt: 'Unaccompanied cello, baroque feel, D minor',
    plays: { lead: 42 },
    silent: ['chords', 'bass', 'drums', 'pad'],
    tonic: 2,
    mode: 'minor',
  },
  { prompt: 'flute solo, peaceful meditation music', plays: { lead: 73 }, silent: ['chords', 'bass', 'drums', 'pad'] },
  {
    prompt: 'piano only, gentle and reflective, in E major',
    plays: { lead: 0, chords: 0, bass: 0 },
    silent: ['drums', 'pad'],
    tonic: 4,
    mode: 'major',
  },
  { prompt: 'just a harp, dreamy and ethereal', plays: { lead: 46, chords: 46 }, silent: ['drums', 'pad', 'counter'] },
  { prompt: 'Drum solo, 120 BPM, live drums', plays: { drums: 0 }, silent: ['lead', 'chords', 'bass', 'pad'], bpm: 120 },
  {
    prompt: 'solo jazz piano, smoky late night bar',
    genre: 'jazz',
    plays: { lead: 0, chords: 0, bass: 0 },
    silent: ['drums', 'pad'],
    groove: 'walking-bass',
  },
  { prompt: 'solo upright bass, late night jazz', genre: 'jazz', plays: { bass: 32 }, silent: ['lead', 'chords', 'drums'] },
  { prompt: 'Sad piano and cello in A minor', plays: { lead: 42, chords: 0 }, silent: ['drums', 'pad'], tonic: 9, mode: 'minor' },
  { prompt: 'melancholic strings', plays: { lead: 48, chords: 48 }, silent: ['drums'], mode: 'minor' },
  // A cappella and named ensembles.
  { prompt: 'a cappella gospel choir, uplifting', plays: { lead: 53, chords: 52, bass: 52 }, silent: ['drums', 'counter'], mode: 'major' },
  { prompt: 'A cappella vocal harmony, barbershop quartet style', plays: { lead: 53, chords: 52, bass: 52 }, silent: ['drums', 'pad'] },
  {
    prompt: 'string quartet playing a tender piece in G major',
    genre: 'orchestral',
    plays: { lead: 40, chords: 41, bass: 42 },
    silent: ['drums', 'pad'],
    tonic: 7,
    mode: 'major',
  },
  { prompt: 'piano trio, nostalgic, late night', plays: { lead: 40, chords: 0, bass: 42 }, silent: ['drums', 'pad'] },
  {
    prompt: 'jazz trio, brushes on snare, walking upright bass, 120 bpm',
    genre: 'jazz',
    plays: { lead: 0, chords: 0, bass: 32, drums: 40 },
    silent: ['pad'],
    bpm: 120,
    groove: 'walking-bass',
  },
  { prompt: 'power trio garage rock, raw and loud', genre: 'rock', plays: { lead: 29, chords: 30, bass: 33, drums: 0 }, silent: ['pad'] },
  {
    prompt: 'brass quintet fanfare, triumphant, in B flat major',
    plays: { lead: 56, chords: 60, bass: 58 },
    silent: ['drums', 'pad'],
    tonic: 10,
    mode: 'major',
  },
  { prompt: 'woodwind quintet, playful and pastoral', plays: { lead: 73, chords: 71, bass: 70 }, silent: ['drums'], mode: 'major' },
  { prompt: 'violin and cello duet, romantic', plays: { lead: 40, bass: 42 }, silent: ['drums', 'chords', 'pad'] },
  {
    prompt: 'Acoustic folk song without percussion, just guitar and harmonica',
    genre: 'indie-folk',
    plays: { lead: 22, chords: 25 },
    silent: ['drums', 'bass', 'pad'],
  },
  { prompt: 'just piano and strings, emotional film score', plays: { lead: 0, chords: 0, pad: 48 }, silent: ['drums'] },
  // "No drums"-style phrases keep the rest of the band.
  { prompt: 'Pop song with piano, no drums', genre: 'pop', plays: { chords: 0, bass: null, lead: null }, silent: ['drums'] },
  { prompt: 'calm ambient pads without bass', genre: 'ambient', plays: { pad: 89, chords: null }, silent: ['bass', 'drums'] },
  { prompt: 'heavy metal, no bass, 160 bpm', genre: 'metal', plays: { drums: null, chords: 30 }, silent: ['bass'], bpm: 160 },
  {
    prompt: '80s pop without synths',
    genre: 'pop',
    plays: { lead: null, bass: null, drums: null },
    noProgram: [38, 81, 89],
    silent: ['pad'],
  },
  {
    prompt: 'Country song with banjo and fiddle, no drums',
    genre: 'country',
    plays: { chords: 105, lead: 40, bass: null },
    silent: ['drums'],
  },
  { prompt: 'beatless ambient soundscape with a music box', genre: 'ambient', plays: { lead: 8 }, silent: ['drums'] },
  { prompt: 'rock song with a guitar solo', genre: 'rock', plays: { lead: 29, bass: null, drums: 0 } },
  // Multi-word genre terms are grooves, not form words.
  {
    prompt: 'Reggae one drop riddim with organ skank, 75 BPM',
    duration: 90,
    genre: 'reggae',
    plays: { chords: 16, drums: 0, bass: null },
    bpm: 75,
    form: { has: ['verse', 'chorus'], lacks: ['drop', 'build', 'breakdown'] },
    groove: 'one-drop',
  },
  {
    prompt: 'roots reggae, one drop, bubbling organ',
    duration: 90,
    genre: 'reggae',
    form: { lacks: ['drop', 'build'] },
    groove: 'one-drop',
  },
  {
    prompt: 'Four on the floor disco with funky bass and strings',
    genre: 'house',
    plays: { bass: 33, pad: 48 },
    groove: 'four-on-the-floor',
  },
  { prompt: 'Dark warehouse techno, 132 BPM, four on the floor', genre: 'techno', bpm: 132, groove: 'four-on-the-floor', mode: 'minor' },
  { prompt: 'boom bap hip hop beat, dusty samples, 90 bpm', genre: 'hip-hop', bpm: 90, plays: { drums: 25 }, texture: { noise: [0.3, 1] } },
  { prompt: 'trap beat with half time drums and 808s, dark', genre: 'hip-hop', plays: { drums: 25 }, groove: 'half-time', mode: 'minor' },
  { prompt: 'aggressive rap beat with double time hi hats', genre: 'hip-hop', groove: 'double-time', form: { lacks: ['drop'] } },
  { prompt: 'brutal death metal with blast beats, 180 bpm', genre: 'metal', bpm: 180, groove: 'blast-beat' },
  { prompt: 'djent in drop D, palm muted riffs', genre: 'metal', tonic: 2, form: { lacks: ['drop'] }, texture: CLEAN },
  { prompt: 'smooth jazz with walking bass and brushes', genre: 'jazz', plays: { bass: 32, drums: 40, lead: 65 }, groove: 'walking-bass' },
  {
    prompt: 'Blues shuffle with call and response between harmonica and guitar',
    duration: 60,
    genre: 'blues',
    plays: { lead: 22, counter: 25 },
    groove: 'call-and-response',
  },
  // Form words used as form words.
  {
    prompt: 'EDM festival anthem with a long build up and a massive drop, 128 bpm',
    duration: 120,
    genre: 'house',
    bpm: 128,
    form: { has: ['intro', 'build', 'drop'] },
  },
  {
    prompt: 'progressive house with an intro, a breakdown and a drop',
    duration: 120,
    genre: 'house',
    form: { has: ['intro', 'breakdown', 'drop'] },
  },
  { prompt: 'chill deep house, no drop', duration: 120, genre: 'house', form: { has: ['verse', 'chorus'], lacks: ['drop', 'build'] } },
  { prompt: 'future bass with a huge bass drop', duration: 90, genre: 'house', form: { has: ['drop'] } },
  {
    prompt: 'upbeat pop song with a bridge, 118 bpm',
    duration: 150,
    genre: 'pop',
    bpm: 118,
    form: { has: ['verse', 'chorus', 'bridge', 'outro'] },
  },
  {
    prompt: 'heartfelt indie rock with a quiet intro and a long outro',
    duration: 120,
    genre: 'rock',
    form: { has: ['intro', 'outro'], lacks: ['drop'] },
  },
  {
    prompt: 'Tear drops on my guitar, acoustic country ballad',
    duration: 90,
    genre: 'country',
    form: { has: ['verse', 'chorus'], lacks: ['drop', 'build'] },
  },
  { prompt: 'metalcore track with a breakdown', duration: 120, genre: 'metal', form: { has: ['breakdown'], lacks: ['drop'] } },
  // Texture and intensity words move the sound and the density, not only the tempo.
  {
    prompt: 'Dusty lo-fi hip hop with vinyl crackle and mellow rhodes',
    genre: 'lo-fi',
    plays: { chords: 4, drums: null },
    silent: LOUD_KIT,
    texture: { noise: [0.5, 1], rollOffHz: [3000, 6000], saturation: [0.2, 1] },
    onsetsPerSecond: [0.5, 2.4],
  },
  { prompt: 'lofi chill beat to study to', genre: 'lo-fi', texture: { noise: [0.2, 0.4], rollOffHz: [8000, 10000] } },
  { prompt: 'clean lo-fi beat, crisp drums', genre: 'lo-fi', texture: CLEAN },
  { prompt: 'old gramophone jazz record, 1930s swing', genre: 'jazz', texture: { noise: [0.9, 1], rollOffHz: [2000, 4000] } },
  { prompt: 'muffled house music, like hearing it through a wall', genre: 'house', texture: { rollOffHz: [500, 1500] } },
  { prompt: 'warm analog synth pop with tape saturation', genre: 'pop', texture: { saturation: [0.25, 1], noise: [0.2, 1] } },
  { prompt: 'gritty drill beat, distorted 808', genre: 'hip-hop', texture: { saturation: [0.5, 1] } },
  {
    prompt: 'Epic orchestral battle music, pounding drums, 140 BPM',
    genre: 'orchestral',
    bpm: 140,
    plays: { drums: 48 },
    onsetsPerSecond: [5, 20],
  },
  { prompt: 'epic orchestral music', genre: 'orchestral', onsetsPerSecond: [0.5, 3], texture: CLEAN },
  { prompt: 'Cinematic chase scene, intense strings ostinato', genre: 'orchestral', plays: { pad: 48 }, onsetsPerSecond: [3.5, 20] },
  { prompt: 'sparse minimal ambient piano, very slow', genre: 'ambient', silent: ['drums', 'counter'], onsetsPerSecond: [0.1, 1.2] },
  { prompt: 'gentle orchestral lullaby', genre: 'orchestral', onsetsPerSecond: [0.3, 2.5], mode: 'major' },
  // Tempo, key and mode.
  { prompt: 'K-pop dance track in F# minor, 125 bpm', genre: 'pop', bpm: 125, tonic: 6, mode: 'minor' },
  { prompt: 'Bossa nova with nylon guitar, relaxed, 130 bpm', genre: 'jazz', plays: { chords: 24 }, bpm: 130 },
  { prompt: 'upbeat funk with slap bass and horns, 110 bpm', genre: 'funk', plays: { bass: 36, lead: 60 }, bpm: 110 },
  { prompt: 'Orchestral score with choir and timpani, heroic', genre: 'orchestral', plays: { pad: 52, bass: 47, drums: 48 } },
  { prompt: 'slow sad country ballad in the key of D', genre: 'country', tonic: 2, mode: 'minor', bpm: [70, 95] },
  { prompt: 'frantic bebop jazz, very fast', genre: 'jazz', bpm: [150, 190], onsetsPerSecond: [5, 30] },
];
