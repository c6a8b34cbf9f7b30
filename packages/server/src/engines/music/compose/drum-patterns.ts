/**
 * One-bar drum grooves on a 16-step grid, keyed by GM percussion note.
 * `X` accent, `x` normal hit, `o` ghost note, `.` rest. Data only.
 */

import type { DrumFeel } from '../prompt/vocabulary-terms.js';

/** GM percussion notes used by the patterns. */
export const DRUM = {
  kick: 36,
  rim: 37,
  snare: 38,
  clap: 39,
  closedHat: 42,
  pedalHat: 44,
  openHat: 46,
  lowTom: 45,
  midTom: 47,
  highTom: 50,
  crash: 49,
  ride: 51,
  tambourine: 54,
  shaker: 70,
  cowbell: 56,
} as const;

/** A groove: `main` for normal sections, `light` for quiet sections (intro, verse at low energy). */
export interface DrumPattern {
  readonly main: Readonly<Record<number, string>>;
  readonly light: Readonly<Record<number, string>>;
}

/** Every groove by name (genre styles point here). */
export const DRUM_PATTERNS: Readonly<Record<string, DrumPattern>> = {
  none: { main: {}, light: {} },
  pop: {
    main: {
      [DRUM.kick]: 'X.....x.X.x.....',
      [DRUM.snare]: '....X.......X...',
      [DRUM.closedHat]: 'x.x.x.x.x.x.x.x.',
      [DRUM.clap]: '....x.......x...',
    },
    light: { [DRUM.kick]: 'X.......X.......', [DRUM.rim]: '....x.......x...', [DRUM.closedHat]: 'o.o.o.o.o.o.o.o.' },
  },
  rock: {
    main: { [DRUM.kick]: 'X.....x.X.x.....', [DRUM.snare]: '....X.......X...', [DRUM.closedHat]: 'x.x.x.x.x.x.x.x.' },
    light: { [DRUM.kick]: 'X.......X.......', [DRUM.snare]: '....x.......x...', [DRUM.closedHat]: 'o...o...o...o...' },
  },
  metal: {
    main: { [DRUM.kick]: 'XxXxXxXxXxXxXxXx', [DRUM.snare]: '....X.......X...', [DRUM.crash]: 'x.......x.......' },
    light: { [DRUM.kick]: 'X.......X.x.....', [DRUM.snare]: '....X.......X...', [DRUM.ride]: 'x.x.x.x.x.x.x.x.' },
  },
  folk: {
    main: {
      [DRUM.kick]: 'X.......x.x.....',
      [DRUM.snare]: '....x.......x...',
      [DRUM.tambourine]: '..x...x...x...x.',
      [DRUM.closedHat]: 'o.o.o.o.o.o.o.o.',
    },
    light: { [DRUM.kick]: 'X.......X.......', [DRUM.shaker]: 'x.o.x.o.x.o.x.o.' },
  },
  country: {
    main: {
      [DRUM.kick]: 'X.......X.......',
      [DRUM.snare]: '....X.......X...',
      [DRUM.closedHat]: 'x.x.x.x.x.x.x.x.',
      [DRUM.tambourine]: '....x.......x...',
    },
    light: { [DRUM.kick]: 'X.......X.......', [DRUM.rim]: '....x.......x...' },
  },
  'hip-hop': {
    main: {
      [DRUM.kick]: 'X.....X...X..x..',
      [DRUM.snare]: '....X.......X...',
      [DRUM.clap]: '....x.......x...',
      [DRUM.closedHat]: 'x.x.x.x.x.xxx.x.',
    },
    light: { [DRUM.kick]: 'X.........X.....', [DRUM.closedHat]: 'x.x.x.x.x.x.x.x.' },
  },
  'lo-fi': {
    main: { [DRUM.kick]: 'X......x..X.....', [DRUM.snare]: '....X.......X..o', [DRUM.closedHat]: 'x.o.x.o.x.o.x.o.' },
    light: { [DRUM.kick]: 'X.........X.....', [DRUM.rim]: '....x.......x...', [DRUM.closedHat]: 'o.o.o.o.o.o.o.o.' },
  },
  house: {
    main: {
      [DRUM.kick]: 'X...X...X...X...',
      [DRUM.clap]: '....X.......X...',
      [DRUM.openHat]: '..x...x...x...x.',
      [DRUM.closedHat]: 'o.o.o.o.o.o.o.o.',
    },
    light: { [DRUM.kick]: 'X...X...X...X...', [DRUM.closedHat]: '..o...o...o...o.' },
  },
  techno: {
    main: {
      [DRUM.kick]: 'X...X...X...X...',
      [DRUM.clap]: '....x.......x...',
      [DRUM.closedHat]: 'oxoxoxoxoxoxoxox',
      [DRUM.openHat]: '..x...x...x...x.',
      [DRUM.rim]: '...o..o....o..o.',
    },
    light: { [DRUM.kick]: 'X...X...X...X...', [DRUM.closedHat]: '..o...o...o...o.' },
  },
  jazz: {
    main: {
      [DRUM.ride]: 'x...x.x.x...x.x.',
      [DRUM.pedalHat]: '....x.......x...',
      [DRUM.kick]: 'o.......o.......',
      [DRUM.snare]: '..........o....o',
    },
    light: { [DRUM.ride]: 'x...x.o.x...x.o.', [DRUM.pedalHat]: '....x.......x...' },
  },
  blues: {
    main: { [DRUM.kick]: 'X.......X.x.....', [DRUM.snare]: '....X.......X...', [DRUM.closedHat]: 'x.x.x.x.x.x.x.x.' },
    light: { [DRUM.kick]: 'X.......X.......', [DRUM.ride]: 'x.o.x.o.x.o.x.o.' },
  },
  funk: {
    main: {
      [DRUM.kick]: 'X..x..x...X..x..',
      [DRUM.snare]: '....X..o.o..X..o',
      [DRUM.closedHat]: 'xoxoxoxoxoxoxoxo',
      [DRUM.openHat]: '..............x.',
    },
    light: { [DRUM.kick]: 'X.....x...X.....', [DRUM.rim]: '....x.......x...', [DRUM.closedHat]: 'x.x.x.x.x.x.x.x.' },
  },
  reggae: {
    main: { [DRUM.kick]: '........X.......', [DRUM.rim]: '........X.......', [DRUM.closedHat]: 'x.x.x.x.x.x.x.x.' },
    light: { [DRUM.kick]: '........X.......', [DRUM.rim]: '........x.......' },
  },
  orchestral: {
    main: { [DRUM.kick]: 'X.......X...x...', [DRUM.lowTom]: 'x.....x.....x...', [DRUM.crash]: 'x...............' },
    light: { [DRUM.lowTom]: 'o.......o.......' },
  },
  /** Orchestral percussion for "battle", "chase", "action": taiko-like toms on every eighth. */
  'orchestral-busy': {
    main: {
      [DRUM.kick]: 'X..xX...X..xX.x.',
      [DRUM.lowTom]: 'x.x.x.x.x.x.x.x.',
      [DRUM.midTom]: '..o...o...o...oo',
      [DRUM.snare]: '....x.......x...',
    },
    light: { [DRUM.kick]: 'X.......X...x...', [DRUM.lowTom]: 'x...x.x.x...x.x.' },
  },
};

/** Lines a named drum feel puts over the groove (replacing those pitches). */
export const FEEL_LINES: Readonly<Record<DrumFeel, Readonly<Record<number, string>>>> = {
  'four-on-the-floor': { [DRUM.kick]: 'X...X...X...X...' },
  'half-time': { [DRUM.kick]: 'X.........x.....', [DRUM.snare]: '........X.......', [DRUM.clap]: '................' },
  'double-time': { [DRUM.snare]: '..X...X...X...X.', [DRUM.clap]: '................', [DRUM.closedHat]: 'xoxoxoxoxoxoxoxo' },
  'one-drop': { [DRUM.kick]: '........X.......', [DRUM.rim]: '........X.......', [DRUM.snare]: '................' },
  'blast-beat': { [DRUM.kick]: 'XxXxXxXxXxXxXxXx', [DRUM.snare]: 'xXxXxXxXxXxXxXxX', [DRUM.ride]: 'x.x.x.x.x.x.x.x.' },
  steppers: { [DRUM.kick]: 'X...X...X...X...', [DRUM.rim]: '........X.......' },
};

/** A one-bar fill played before a new section starts. */
export const FILL: Readonly<Record<number, string>> = {
  [DRUM.snare]: '........x.x.xxXX',
  [DRUM.kick]: 'X.......X.......',
  [DRUM.highTom]: '........o.......',
};
