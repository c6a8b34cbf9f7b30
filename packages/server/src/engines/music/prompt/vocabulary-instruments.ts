/** Instrument vocabulary: prompt words mapped to General MIDI programs and a musical role. */

/** The part an instrument plays in the arrangement. */
export type InstrumentRole = 'lead' | 'chords' | 'pad' | 'bass' | 'drums';

/** One row of the instrument table. */
export interface InstrumentEntry {
  /** Display name. */
  readonly name: string;
  readonly words: readonly string[];
  /** General MIDI program 0..127 (for drums: the GM drum kit number, or -1 for the genre's kit). */
  readonly program: number;
  /** The role this instrument takes when the prompt names it. */
  readonly role: InstrumentRole;
}

/** Every named instrument. Longer phrases win: "electric piano" before "piano". */
export const INSTRUMENT_WORDS: readonly InstrumentEntry[] = [
  { name: 'Piano', words: ['piano', 'grand piano', 'keys'], program: 0, role: 'chords' },
  { name: 'Bright piano', words: ['bright piano', 'upright piano', 'honky tonk piano'], program: 1, role: 'chords' },
  { name: 'Electric piano', words: ['electric piano', 'rhodes', 'wurlitzer', 'e piano', 'epiano'], program: 4, role: 'chords' },
  { name: 'Harpsichord', words: ['harpsichord'], program: 6, role: 'chords' },
  { name: 'Celesta', words: ['celesta', 'music box'], program: 8, role: 'lead' },
  { name: 'Glockenspiel', words: ['glockenspiel', 'bells', 'chimes'], program: 9, role: 'lead' },
  { name: 'Vibraphone', words: ['vibraphone', 'vibes'], program: 11, role: 'lead' },
  { name: 'Marimba', words: ['marimba', 'xylophone', 'kalimba'], program: 12, role: 'lead' },
  { name: 'Organ', words: ['organ', 'hammond', 'b3'], program: 16, role: 'chords' },
  { name: 'Church organ', words: ['church organ', 'pipe organ'], program: 19, role: 'pad' },
  { name: 'Accordion', words: ['accordion'], program: 21, role: 'chords' },
  { name: 'Harmonica', words: ['harmonica'], program: 22, role: 'lead' },
  { name: 'Nylon guitar', words: ['nylon guitar', 'classical guitar', 'spanish guitar', 'ukulele', 'uke'], program: 24, role: 'chords' },
  { name: 'Acoustic guitar', words: ['acoustic guitar', 'guitar', 'strummed guitar', 'fingerpicked guitar'], program: 25, role: 'chords' },
  { name: 'Jazz guitar', words: ['jazz guitar', 'hollow body'], program: 26, role: 'chords' },
  { name: 'Electric guitar', words: ['electric guitar', 'clean guitar', 'funk guitar'], program: 27, role: 'chords' },
  { name: 'Overdriven guitar', words: ['overdriven guitar', 'crunchy guitar', 'guitar solo'], program: 29, role: 'lead' },
  {
    name: 'Distorted guitar',
    words: ['distorted guitar', 'distortion', 'heavy guitar', 'power chords', 'riffs'],
    program: 30,
    role: 'chords',
  },
  { name: 'Bass guitar', words: ['bass', 'bass guitar', 'electric bass', 'finger bass'], program: 33, role: 'bass' },
  { name: 'Upright bass', words: ['upright bass', 'double bass', 'acoustic bass', 'contrabass'], program: 32, role: 'bass' },
  { name: 'Slap bass', words: ['slap bass', 'slap'], program: 36, role: 'bass' },
  { name: 'Synth bass', words: ['synth bass', 'sub bass', 'bassline', '808 bass', 'reese'], program: 38, role: 'bass' },
  { name: 'Violin', words: ['violin', 'fiddle'], program: 40, role: 'lead' },
  { name: 'Viola', words: ['viola', 'violas'], program: 41, role: 'lead' },
  { name: 'Cello', words: ['cello', 'cellos'], program: 42, role: 'lead' },
  { name: 'Pizzicato strings', words: ['pizzicato'], program: 45, role: 'chords' },
  { name: 'Harp', words: ['harp'], program: 46, role: 'chords' },
  { name: 'Timpani', words: ['timpani'], program: 47, role: 'bass' },
  { name: 'Strings', words: ['strings', 'string section', 'string ensemble', 'orchestra strings', 'violins'], program: 48, role: 'pad' },
  { name: 'Synth strings', words: ['synth strings'], program: 50, role: 'pad' },
  { name: 'Choir', words: ['choir', 'choral', 'voices', 'aahs'], program: 52, role: 'pad' },
  { name: 'Trumpet', words: ['trumpet', 'trumpets'], program: 56, role: 'lead' },
  { name: 'Trombone', words: ['trombone'], program: 57, role: 'lead' },
  { name: 'Tuba', words: ['tuba'], program: 58, role: 'bass' },
  { name: 'French horn', words: ['french horn', 'horn', 'horns'], program: 60, role: 'lead' },
  { name: 'Brass section', words: ['brass', 'brass section'], program: 61, role: 'pad' },
  { name: 'Saxophone', words: ['saxophone', 'sax', 'alto sax'], program: 65, role: 'lead' },
  { name: 'Tenor saxophone', words: ['tenor sax', 'tenor saxophone'], program: 66, role: 'lead' },
  { name: 'Oboe', words: ['oboe'], program: 68, role: 'lead' },
  { name: 'Bassoon', words: ['bassoon'], program: 70, role: 'lead' },
  { name: 'Clarinet', words: ['clarinet'], program: 71, role: 'lead' },
  { name: 'Flute', words: ['flute', 'flutes'], program: 73, role: 'lead' },
  { name: 'Pan flute', words: ['pan flute', 'pan pipes', 'recorder'], program: 75, role: 'lead' },
  { name: 'Shakuhachi', words: ['shakuhachi'], program: 77, role: 'lead' },
  { name: 'Whistle', words: ['whistle', 'whistling'], program: 78, role: 'lead' },
  { name: 'Ocarina', words: ['ocarina'], program: 79, role: 'lead' },
  { name: 'Square lead', words: ['chiptune', 'square lead', '8 bit', '8bit'], program: 80, role: 'lead' },
  { name: 'Saw lead', words: ['synth lead', 'lead synth', 'saw lead', 'synth', 'synthesizer', 'synths'], program: 81, role: 'lead' },
  { name: 'Warm pad', words: ['pad', 'pads', 'synth pad', 'warm pad'], program: 89, role: 'pad' },
  { name: 'Halo pad', words: ['ethereal pad', 'halo pad', 'choir pad'], program: 94, role: 'pad' },
  { name: 'Sitar', words: ['sitar'], program: 104, role: 'lead' },
  { name: 'Banjo', words: ['banjo'], program: 105, role: 'chords' },
  { name: 'Shamisen', words: ['shamisen'], program: 106, role: 'lead' },
  { name: 'Koto', words: ['koto', 'guzheng'], program: 107, role: 'chords' },
  { name: 'Bagpipe', words: ['bagpipe', 'bagpipes'], program: 109, role: 'lead' },
  { name: 'Steel drums', words: ['steel drums', 'steel drum', 'steelpan'], program: 114, role: 'lead' },
  { name: 'Drum kit', words: ['drum kit', 'acoustic drums', 'live drums', 'real drums'], program: 0, role: 'drums' },
  { name: 'Electronic drums', words: ['drum machine', 'electronic drums', '909', 'tr 909'], program: 24, role: 'drums' },
  { name: '808 drums', words: ['808 drums', 'tr 808', '808s'], program: 25, role: 'drums' },
  { name: 'Brush kit', words: ['brushes', 'brush drums', 'jazz drums'], program: 40, role: 'drums' },
  // Program -1: the genre's own kit ("orchestral percussion" keeps the orchestral kit).
  { name: 'Percussion', words: ['drums', 'drum', 'percussion', 'percussive'], program: -1, role: 'drums' },
];

/** Words that exclude a role: "no drums" removes the drum part. */
export const ABSENCE_WORDS: readonly { readonly words: readonly string[]; readonly role: InstrumentRole }[] = [
  { words: ['no drums', 'without drums', 'drumless', 'no percussion', 'without percussion', 'beatless', 'no beat'], role: 'drums' },
  { words: ['no bass', 'without bass', 'bassless'], role: 'bass' },
];

/** Structure words and what they ask of the arrangement. */
export type StructureHint = 'intro' | 'outro' | 'drop' | 'no-drop' | 'build' | 'bridge' | 'breakdown' | 'fade-out' | 'fade-in';

/** Every structure word. */
export const STRUCTURE_WORDS: readonly { readonly words: readonly string[]; readonly hint: StructureHint }[] = [
  { words: ['intro', 'introduction', 'opening'], hint: 'intro' },
  { words: ['outro', 'ending', 'coda', 'finale'], hint: 'outro' },
  { words: ['drop', 'bass drop', 'the drop'], hint: 'drop' },
  { words: ['build', 'slow build', 'build up', 'buildup', 'builds', 'building', 'crescendo', 'rising', 'swells'], hint: 'build' },
  { words: ['bridge', 'middle eight'], hint: 'bridge' },
  { words: ['breakdown', 'break down'], hint: 'breakdown' },
  { words: ['fade out', 'fades out', 'fading out'], hint: 'fade-out' },
  { words: ['fade in', 'fades in', 'fading in'], hint: 'fade-in' },
];
