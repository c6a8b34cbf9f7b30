/** Drum part from the genre's grooves, fills and crashes, one bar at a time. Pure. */
import type { BarContext } from './bar-context.js';
import { scaledVelocity } from './bar-context.js';
import { DRUM, DRUM_PATTERNS, FEEL_LINES, FILL } from './drum-patterns.js';
import type { BeatNote } from './score.js';
import { CHANNEL } from './score.js';
import { BUSY_DENSITY, SPARSE_DENSITY } from './style-for-brief.js';

const STRENGTH: Readonly<Record<string, number>> = { X: 118, x: 96, o: 58 };

/** Write one bar of drums, or none when the section is too quiet. */
export function writeDrumBar(context: BarContext, isLastBarOfSection: boolean): BeatNote[] {
  const { section, style, random, bar, barInSection } = context;
  const pattern = DRUM_PATTERNS[style.drums] ?? DRUM_PATTERNS.pop;
  if (!pattern || section.level < 0.22 || section.kind === 'breakdown') return [];
  const density = style.density ?? 1;
  const full = section.level >= 0.55 || (density >= BUSY_DENSITY && section.level >= 0.3);
  let grid: Readonly<Record<number, string>> = full && density > SPARSE_DENSITY ? pattern.main : pattern.light;
  if (section.kind === 'build') grid = pattern.light;
  if (style.feel) grid = { ...grid, ...FEEL_LINES[style.feel] };
  if (isLastBarOfSection && section.level >= 0.45 && section.bars >= 4 && style.drums !== 'none') grid = { ...grid, ...FILL };
  if (section.kind === 'build' && isLastBarOfSection) grid = { [DRUM.snare]: 'xxxxxxxxxxxxXXXX', [DRUM.kick]: 'X...X...X...X...' };
  const notes: BeatNote[] = [];
  for (const [pitchText, line] of Object.entries(grid)) {
    const pitch = Number(pitchText);
    for (let step = 0; step < 16; step++) {
      const strength = STRENGTH[line[step] ?? '.'];
      if (strength === undefined) continue;
      notes.push({
        channel: CHANNEL.drums,
        pitch,
        velocity: scaledVelocity(strength, section.level, random),
        beat: bar * 4 + step / 4,
        beats: 0.2,
      });
    }
  }
  if (barInSection === 0 && section.level >= 0.6 && bar > 0) {
    notes.push({ channel: CHANNEL.drums, pitch: DRUM.crash, velocity: scaledVelocity(110, section.level), beat: bar * 4, beats: 1 });
  }
  return notes;
}
