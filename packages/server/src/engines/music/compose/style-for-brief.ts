/** The genre's playing style adjusted to the prompt: ensemble, intensity, named grooves. Pure. */
import type { MusicBrief } from '../prompt/parse-prompt.js';
import { isChordal, isKeyboard, type PartPrograms } from './channel-setup.js';
import { DRUM_PATTERNS } from './drum-patterns.js';
import type { BassStyle, CompingStyle, GenreStyle } from './genre-styles.js';

/** At or above this density, sustained parts move in eighths (a "battle" ostinato). */
export const BUSY_DENSITY = 1.4;
/** At or below this density, parts thin out (no counter-line or default pad, light grooves). */
export const SPARSE_DENSITY = 0.75;

const GUITARS = [24, 25, 26, 27, 29, 30, 105, 107];

function ensembleComping(brief: MusicBrief, style: GenreStyle, chords: number | undefined): CompingStyle {
  if (chords === undefined || !brief.exclusive) return style.comping;
  if (GUITARS.includes(chords)) return brief.energy < 0.45 ? 'arpeggio' : 'strum';
  // A pianist alone keeps jazz voicings; otherwise arpeggios when calm, block chords when not.
  if (style.comping === 'jazz' && isKeyboard(chords)) return 'jazz';
  if (isKeyboard(chords) || isChordal(chords)) return brief.energy < 0.5 ? 'arpeggio' : 'block';
  return 'sustain';
}

function ensembleBass(brief: MusicBrief, style: GenreStyle, bass: number | undefined): BassStyle {
  if (brief.walkingBass) return 'walking';
  if (!brief.exclusive || bass === undefined) return style.bassStyle;
  if (isKeyboard(bass)) return style.bassStyle === 'walking' ? 'walking' : 'half';
  return bass === 32 || bass === 33 ? style.bassStyle : 'sustain';
}

/** The style the composer follows for this brief, given which programs play. */
export function styleForBrief(brief: MusicBrief, style: GenreStyle, programs: PartPrograms): GenreStyle {
  let comping = ensembleComping(brief, style, programs.chords);
  let bassStyle = ensembleBass(brief, style, programs.bass);
  let drums = style.drums;
  const busy = brief.density >= BUSY_DENSITY;
  if (busy) {
    if (comping === 'sustain') comping = 'ostinato';
    if (bassStyle === 'sustain' || bassStyle === 'half') bassStyle = 'eighths';
    if (DRUM_PATTERNS[`${drums}-busy`]) drums = `${drums}-busy`;
  }
  if (brief.density <= SPARSE_DENSITY) {
    if (bassStyle === 'eighths') bassStyle = 'half';
    if (comping === 'arpeggio' || comping === 'strum') comping = 'block';
  }
  return {
    ...style,
    comping,
    bassStyle,
    drums,
    melodyDensity: Math.min(8, Math.max(1.5, style.melodyDensity * brief.density)),
    density: brief.density,
    feel: brief.feel,
  };
}
