/** Lay out sections on the bar grid so the piece fits the requested duration exactly. Pure. */
import type { GenreId } from '../prompt/vocabulary-genres.js';
import type { StructureHint } from '../prompt/vocabulary-instruments.js';

/** Kinds of section the composer writes. */
export type SectionKind = 'intro' | 'verse' | 'chorus' | 'bridge' | 'build' | 'drop' | 'breakdown' | 'outro';

/** One section of the arrangement. */
export interface Section {
  readonly kind: SectionKind;
  readonly startBar: number;
  readonly bars: number;
  /** Intensity 0..1: which parts play and how hard. */
  readonly level: number;
}

/** The time plan of a piece. */
export interface Arrangement {
  /** Exact tempo in BPM (may differ from the nominal tempo only for loops without an explicit BPM). */
  readonly bpm: number;
  readonly barSeconds: number;
  /** Bars of composed music before the ending. */
  readonly musicBars: number;
  readonly sections: readonly Section[];
  /** When the final held chord starts (seconds), or undefined when there is no room or the piece loops. */
  readonly endingStartSeconds: number | undefined;
  /** Fade-out applied to the last seconds of the file: [start, end]; undefined for loops. */
  readonly fade: readonly [number, number] | undefined;
  readonly durationSeconds: number;
  readonly loop: boolean;
}

/** Inputs of `planArrangement`. */
export interface ArrangementInput {
  readonly durationSeconds: number;
  readonly bpm: number;
  readonly bpmExplicit: boolean;
  readonly loop: boolean;
  readonly genre: GenreId;
  readonly energy: number;
  readonly structure: readonly StructureHint[];
}

const BASE_LEVEL: Readonly<Record<SectionKind, number>> = {
  intro: 0.3,
  verse: 0.55,
  chorus: 0.85,
  bridge: 0.5,
  build: 0.6,
  drop: 1,
  breakdown: 0.3,
  outro: 0.35,
};

/** Plan the arrangement: tempo, sections, ending and fade. */
export function planArrangement(input: ArrangementInput): Arrangement {
  const duration = input.durationSeconds;
  let bpm = input.bpm;
  let musicBars: number;
  let endingStartSeconds: number | undefined;
  let fade: [number, number] | undefined;
  if (input.loop) {
    const nominalBar = 240 / bpm;
    if (input.bpmExplicit) musicBars = Math.max(1, Math.ceil(duration / nominalBar - 0.02));
    else {
      musicBars = Math.max(1, Math.round(duration / nominalBar));
      bpm = (240 * musicBars) / duration;
    }
  } else {
    const barSeconds = 240 / bpm;
    const minimumTail = Math.min(3, Math.max(1.2, duration * 0.12));
    musicBars = Math.max(1, Math.floor((duration - minimumTail) / barSeconds));
    const ending = musicBars * barSeconds;
    endingStartSeconds = ending <= duration - 0.6 ? ending : undefined;
    const fadeLength = Math.min(2.5, Math.max(0.5, (duration - (endingStartSeconds ?? duration - 1)) * 0.6));
    fade = [duration - fadeLength, duration];
  }
  const sections = layoutSections(musicBars, input);
  return {
    bpm,
    barSeconds: 240 / bpm,
    musicBars,
    sections,
    endingStartSeconds,
    fade,
    durationSeconds: duration,
    loop: input.loop,
  };
}

function layoutSections(totalBars: number, input: ArrangementInput): Section[] {
  const kinds: { kind: SectionKind; bars: number }[] = [];
  const dance = (input.genre === 'house' || input.genre === 'techno') && !input.structure.includes('no-drop');
  const electronic = dance || input.structure.includes('drop');
  if (totalBars <= 4) kinds.push({ kind: input.energy < 0.35 ? 'verse' : 'chorus', bars: totalBars });
  else {
    let intro = input.loop ? 0 : Math.max(1, Math.min(4, Math.floor(totalBars / 6)));
    const wantsIntro = input.structure.includes('intro') || input.structure.includes('build');
    if (wantsIntro && !input.loop) intro = Math.max(intro, Math.min(8, Math.floor(totalBars / 4)));
    const outro = input.loop ? 0 : Math.min(4, Math.floor(totalBars / 10));
    let middle = totalBars - intro - outro;
    if (intro > 0) kinds.push({ kind: 'intro', bars: intro });
    const length = middle >= 24 ? 8 : 4;
    const cycle: SectionKind[] = electronic
      ? ['build', 'drop', 'breakdown', 'build', 'drop', 'drop']
      : ['verse', 'chorus', 'verse', 'chorus', 'bridge', 'chorus', 'chorus'];
    if (input.structure.includes('breakdown') && !electronic) cycle.splice(4, 0, 'breakdown');
    if (input.structure.includes('bridge') && electronic) cycle.splice(3, 0, 'bridge');
    let index = 0;
    while (middle > 0) {
      let bars = Math.min(length, middle);
      if (middle - bars > 0 && middle - bars < 2) bars = middle;
      const kind = cycle[index % cycle.length] as SectionKind;
      kinds.push({ kind: index >= cycle.length && kind === 'bridge' ? 'chorus' : kind, bars });
      middle -= bars;
      index++;
    }
    if (outro > 0) kinds.push({ kind: 'outro', bars: outro });
  }
  const sections: Section[] = [];
  let startBar = 0;
  const build = input.structure.includes('build');
  for (const { kind, bars } of kinds) {
    const position = totalBars > 1 ? startBar / (totalBars - 1) : 1;
    let level = BASE_LEVEL[kind] * (0.55 + 0.6 * input.energy);
    if (build) level *= 0.35 + 0.75 * position;
    sections.push({ kind, startBar, bars, level: Math.min(1, Math.max(0.12, level)) });
    startBar += bars;
  }
  return sections;
}
