import { EngineRejection } from '../../ports/engine.js';

/** ElevenLabs' bounds on a composition plan (music_v1 sections and music_v2 chunks alike). */
export const PLAN_LIMITS = { minMs: 3000, maxMs: 120_000, maxSections: 30, maxLines: 30, maxLineLength: 200, maxStyles: 50 };

/** One section of a song: its name and the lyric lines sung in it (none: instrumental). */
export interface LyricSection {
  readonly name: string;
  readonly lines: readonly string[];
}

/** A `[Verse 1]` or `(Chorus)` line that names the section that follows. */
const HEADER = /^[[(]\s*([^\])]{1,100}?)\s*[\])]$/;

/** Cut a line longer than ElevenLabs' 200 characters at its last space within the limit. */
function wrap(line: string): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > PLAN_LIMITS.maxLineLength) {
    const space = rest.lastIndexOf(' ', PLAN_LIMITS.maxLineLength);
    const cut = space > 0 ? space : PLAN_LIMITS.maxLineLength;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Split lyrics into sections: a `[Header]` (or `(Header)`) line starts a named section, a blank
 * line ends the current one; unnamed sections are "Verse 1", "Verse 2", … A header with no lines
 * under it is an instrumental section. Sections over 30 lines continue in another of the same name.
 */
export function lyricSections(lyrics: string): LyricSection[] {
  const found: { name?: string; lines: string[] }[] = [];
  let current: { name?: string; lines: string[] } | undefined;
  for (const raw of lyrics.split(/\r?\n/)) {
    const line = raw.trim();
    const header = HEADER.exec(line);
    if (header) {
      current = { name: (header[1] as string).trim(), lines: [] };
      found.push(current);
    } else if (line === '') {
      if (current && current.lines.length > 0) current = undefined;
    } else {
      if (!current) {
        current = { lines: [] };
        found.push(current);
      }
      current.lines.push(...wrap(line));
    }
  }
  let verse = 0;
  return found.flatMap((section) => {
    const name = section.name ?? `Verse ${++verse}`;
    if (section.lines.length <= PLAN_LIMITS.maxLines) return [{ name, lines: section.lines }];
    const parts: LyricSection[] = [];
    for (let start = 0; start < section.lines.length; start += PLAN_LIMITS.maxLines)
      parts.push({
        name: start === 0 ? name : `${name} (continued)`.slice(0, 100),
        lines: section.lines.slice(start, start + PLAN_LIMITS.maxLines),
      });
    return parts;
  });
}

/**
 * Fit sections to `totalMs`: adjacent sections are merged (fewest lines first, up to 30 lines)
 * while the song is too short for 3 s each, and instrumental sections are added at the end while
 * it is too long for 120 s each. A song that cannot fit is an `invalid_input` rejection.
 */
export function fitSections(sections: readonly LyricSection[], totalMs: number): LyricSection[] {
  const fitted = sections.length > 0 ? [...sections] : [{ name: 'Instrumental', lines: [] }];
  while (fitted.length * PLAN_LIMITS.minMs > totalMs) {
    let best = -1;
    for (let i = 0; i + 1 < fitted.length; i++) {
      const size = (fitted[i] as LyricSection).lines.length + (fitted[i + 1] as LyricSection).lines.length;
      const bestSize =
        best < 0 ? Number.POSITIVE_INFINITY : (fitted[best] as LyricSection).lines.length + (fitted[best + 1] as LyricSection).lines.length;
      if (size <= PLAN_LIMITS.maxLines && size < bestSize) best = i;
    }
    if (best < 0)
      throw new EngineRejection(
        'invalid_input',
        `The lyrics need more than ${totalMs / 1000} s: each of their sections lasts at least 3 s.`,
      );
    const [first, second] = fitted.slice(best, best + 2) as [LyricSection, LyricSection];
    fitted.splice(best, 2, { name: first.name, lines: [...first.lines, ...second.lines] });
  }
  while (fitted.length * PLAN_LIMITS.maxMs < totalMs) fitted.push({ name: 'Instrumental', lines: [] });
  if (fitted.length > PLAN_LIMITS.maxSections)
    throw new EngineRejection('invalid_input', `The lyrics have ${fitted.length} sections; ElevenLabs Music takes at most 30.`);
  return fitted;
}

/**
 * Section lengths in whole ms summing exactly to `totalMs`, in proportion to each section's lines
 * (plus one, so instrumental sections get time too), each within 3–120 s. The caller guarantees
 * that `totalMs` is within 3 s and 120 s times the number of sections.
 */
export function sectionDurations(sections: readonly LyricSection[], totalMs: number): number[] {
  const weights = sections.map((section) => section.lines.length + 1);
  const fixed: (number | undefined)[] = sections.map(() => undefined);
  const shares = () => {
    const free = weights.reduce((sum, weight, i) => sum + (fixed[i] === undefined ? weight : 0), 0);
    const left = totalMs - fixed.reduce((sum: number, ms) => sum + (ms ?? 0), 0);
    return weights.map((weight, i) => fixed[i] ?? (left * weight) / free);
  };
  for (;;) {
    const share = shares();
    const free = share.map((_, i) => i).filter((i) => fixed[i] === undefined);
    const low = free.filter((i) => (share[i] as number) < PLAN_LIMITS.minMs);
    const high = free.filter((i) => (share[i] as number) > PLAN_LIMITS.maxMs);
    // Fix the sections below 3 s first (that only lowers the others' shares), then those above 120 s.
    if (low.length > 0) for (const i of low) fixed[i] = PLAN_LIMITS.minMs;
    else if (high.length > 0) for (const i of high) fixed[i] = PLAN_LIMITS.maxMs;
    else break;
  }
  const durations = shares().map((ms) => Math.floor(ms));
  let rest = totalMs - durations.reduce((sum, ms) => sum + ms, 0);
  // Fewer ms are left than there are free sections, each of them below 120 s: one more each in turn.
  for (let i = 0; rest > 0 && i < durations.length; i++) {
    if (fixed[i] !== undefined || (durations[i] as number) >= PLAN_LIMITS.maxMs) continue;
    durations[i] = (durations[i] as number) + 1;
    rest--;
  }
  return durations;
}
