/** Choose instruments, panning and effect sends for each part from the genre and the prompt. Pure. */
import type { MusicBrief, RequestedInstrument } from '../prompt/parse-prompt.js';
import type { GenreStyle } from './genre-styles.js';
import { CHANNEL, type ChannelSetup } from './score.js';

/** The GM program of each part that plays; a missing part does not play. */
export interface PartPrograms {
  readonly lead?: number;
  readonly chords?: number;
  readonly pad?: number;
  readonly bass?: number;
  readonly counter?: number;
  /** GM drum kit. */
  readonly drums?: number;
}

/** Instruments that sit low: a second one of these in a small ensemble plays the bass line. */
const LOW_PROGRAMS = [32, 33, 42, 43, 57, 58, 70];
/** Instruments that can play the bass line as well as chords (a pianist's left hand). */
const KEYBOARDS = [0, 1, 2, 4, 5, 6, 16, 19, 21, 46];
/** Instruments that accompany themselves with chords. */
const CHORDAL = [...KEYBOARDS, 8, 11, 12, 24, 25, 26, 27, 29, 30, 105, 107];

/** True when `program` can play chords (keyboards, guitars, mallets, harp). */
export function isChordal(program: number): boolean {
  return CHORDAL.includes(program);
}

/** True when `program` is a keyboard or harp that also covers the bass. */
export function isKeyboard(program: number): boolean {
  return KEYBOARDS.includes(program);
}

function firstAllowed(candidates: readonly (number | null | undefined)[], excluded: readonly number[]): number | undefined {
  for (const program of candidates) if (program !== null && program !== undefined && !excluded.includes(program)) return program;
  return undefined;
}

/** A named kit, with -1 ("percussion") meaning the genre's own kit (or the standard kit). */
function kitOf(program: number | undefined, style: GenreStyle): number | undefined {
  return program === -1 ? (style.drumKit ?? 0) : program;
}

/** The named instruments are the whole ensemble: each plays its role, and nothing else plays. */
function exclusivePrograms(brief: MusicBrief, style: GenreStyle): PartPrograms {
  const of = (role: string) => brief.instruments.filter((instrument) => instrument.role === role);
  const leads = of('lead');
  const lows = leads.slice(1).filter((instrument) => LOW_PROGRAMS.includes(instrument.program));
  const highs = leads.filter((instrument) => !lows.includes(instrument));
  const melodic = [...highs, ...of('chords'), ...of('pad')];
  const lead: RequestedInstrument | undefined = melodic[0];
  // A section (choir, strings, brass) or a keyboard playing alone also plays its own chords and bass.
  const section = lead?.role === 'pad';
  const chords = of('chords')[0]?.program ?? (lead && (section || isChordal(lead.program)) ? lead.program : undefined);
  const ownBass = chords !== undefined && (isKeyboard(chords) || (section && chords === lead?.program));
  const bass = of('bass')[0]?.program ?? lows[0]?.program ?? (ownBass ? chords : undefined);
  const pad = of('pad').find((instrument) => instrument !== lead)?.program;
  const counter = highs[1]?.program ?? of('chords')[2]?.program ?? (brief.callAndResponse ? chords : undefined);
  return { lead: lead?.program, chords, pad, bass, counter, drums: kitOf(of('drums')[0]?.program, style) };
}

/** Which program plays each part: the prompt's instruments over the genre's defaults. */
export function choosePrograms(brief: MusicBrief, style: GenreStyle): PartPrograms {
  if (brief.exclusive) return exclusivePrograms(brief, style);
  const of = (role: string) => brief.instruments.filter((instrument) => instrument.role === role).map((instrument) => instrument.program);
  const leads = of('lead');
  const chords = of('chords');
  const pads = of('pad');
  const excluded = brief.excludedPrograms;
  const sparse = brief.density <= 0.75;
  const lead = leads[0] ?? firstAllowed([style.lead, 0, 25, 73], excluded);
  const chordProgram = chords[0] ?? firstAllowed([style.chords, 0, 25, 4], excluded);
  return {
    lead,
    chords: chordProgram,
    pad: brief.excludedRoles.includes('pad')
      ? undefined
      : (pads[0] ?? chords[1] ?? (sparse ? undefined : firstAllowed([style.pad], excluded))),
    bass: brief.excludedRoles.includes('bass') ? undefined : (of('bass')[0] ?? firstAllowed([style.bass, 33, 32, 38], excluded)),
    counter: leads[1] ?? chords[2] ?? (brief.callAndResponse ? chordProgram : undefined),
    drums: brief.excludedRoles.includes('drums') ? undefined : (kitOf(of('drums')[0], style) ?? style.drumKit ?? undefined),
  };
}

/** Channel set-up for every part that plays. */
export function chooseChannels(brief: MusicBrief, style: GenreStyle): ChannelSetup[] {
  const programs = choosePrograms(brief, style);
  const reverb = style.reverb;
  const send = (extra: number) => Math.min(127, reverb + extra);
  const setups: ChannelSetup[] = [];
  const add = (part: keyof PartPrograms, program: number | undefined, fields: Omit<ChannelSetup, 'channel' | 'part' | 'program'>) => {
    if (program !== undefined) setups.push({ channel: CHANNEL[part], part, program, ...fields });
  };
  add('lead', programs.lead, { volume: 100, pan: 72, reverb: send(10), chorus: 10 });
  add('chords', programs.chords, { volume: 88, pan: 42, reverb, chorus: 20 });
  add('pad', programs.pad, { volume: 70, pan: 86, reverb: send(20), chorus: 40 });
  add('bass', programs.bass, { volume: style.bassStyle === 'sustain' ? 78 : 104, pan: 64, reverb: 8, chorus: 0 });
  add('counter', programs.counter, { volume: 78, pan: 24, reverb: send(10), chorus: 10 });
  add('drums', programs.drums, { volume: 104, pan: 64, reverb: Math.round(reverb * 0.5), chorus: 0 });
  return setups;
}
