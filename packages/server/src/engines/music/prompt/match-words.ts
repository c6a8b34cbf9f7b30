/** Word and phrase matching on normalised prompt text. */

/** Lower-case the text, keep letters, digits, '#' and '&', and pad with spaces for whole-word search. */
export function normalizeText(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/♯/g, '#')
    .replace(/♭/g, 'b')
    .replace(/[^a-z0-9#&]+/g, ' ')
    .trim();
  return ` ${cleaned} `;
}

/** A phrase found in the text. */
export interface PhraseMatch {
  /** Character offset in the normalised text. */
  readonly position: number;
  /** Length of the matched phrase. */
  readonly length: number;
}

/** Find the longest phrase of `phrases` in normalised `text`, the earliest on ties; undefined if none. */
export function findPhrase(text: string, phrases: readonly string[]): PhraseMatch | undefined {
  let best: PhraseMatch | undefined;
  for (const phrase of phrases) {
    const needle = normalizeText(phrase);
    const position = text.indexOf(needle);
    if (position < 0) continue;
    const length = needle.length - 2;
    if (!best || length > best.length || (length === best.length && position < best.position)) {
      best = { position, length };
    }
  }
  return best;
}

/** Pick the table row whose words match best: longest phrase first, then earliest, then table order. */
export function bestEntry<T extends { readonly words: readonly string[] }>(text: string, table: readonly T[]): T | undefined {
  let best: { entry: T; match: PhraseMatch } | undefined;
  for (const entry of table) {
    const match = findPhrase(text, entry.words);
    if (!match) continue;
    if (!best || match.length > best.match.length || (match.length === best.match.length && match.position < best.match.position)) {
      best = { entry, match };
    }
  }
  return best?.entry;
}

/** Every row with at least one matching word, with the match, in order of appearance. */
export function allEntries<T extends { readonly words: readonly string[] }>(
  text: string,
  table: readonly T[],
): { entry: T; match: PhraseMatch }[] {
  const found: { entry: T; match: PhraseMatch }[] = [];
  for (const entry of table) {
    const match = findPhrase(text, entry.words);
    if (match) found.push({ entry, match });
  }
  return found.sort((left, right) => left.match.position - right.match.position);
}
