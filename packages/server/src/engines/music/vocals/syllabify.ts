/** Split English words into sung syllables with a spelling heuristic (vowel groups, consonant split). Pure. */

const VOWELS = /[aeiouy]/;

function isVowel(word: string, index: number): boolean {
  const letter = word[index] ?? '';
  // "y" is a vowel after a consonant ("happy", "fly"), a consonant at the start or after a vowel ("yes", "day").
  if (letter === 'y') return index > 0 && !VOWELS.test(word[index - 1] ?? '');
  return VOWELS.test(letter);
}

/** Syllables of one word, e.g. "beautiful" → ["beau", "ti", "ful"]; keeps the word's letters in order. */
export function syllabifyWord(word: string): string[] {
  const lower = word.toLowerCase();
  if (!/[a-z]/.test(lower)) return word ? [word] : [];
  // Vowel groups (nuclei), ignoring a silent final "e" ("love", "time") but not "le" ("little").
  const nuclei: [number, number][] = [];
  for (let index = 0; index < lower.length; ) {
    if (isVowel(lower, index)) {
      const start = index;
      index++;
      // "y" followed by a vowel starts a new syllable ("fly-ing").
      while (index < lower.length && isVowel(lower, index) && lower[index - 1] !== 'y') index++;
      nuclei.push([start, index]);
    } else index++;
  }
  const last = nuclei[nuclei.length - 1];
  const silentE =
    last && nuclei.length > 1 && last[0] === lower.length - 1 && lower.endsWith('e') && !/[^aeiou]le$/.test(lower) && !lower.endsWith('ee');
  if (silentE) nuclei.pop();
  // "-ed" after most consonants is not its own syllable ("loved"), but is after t/d ("wanted").
  const final = nuclei[nuclei.length - 1];
  if (final && nuclei.length > 1 && lower.endsWith('ed') && final[0] === lower.length - 2 && !/[td]ed$/.test(lower)) nuclei.pop();
  if (nuclei.length <= 1) return [word];
  const cuts: number[] = [];
  for (let index = 0; index < nuclei.length - 1; index++) {
    const end = (nuclei[index] as [number, number])[1];
    const next = (nuclei[index + 1] as [number, number])[0];
    const consonants = next - end;
    // One consonant goes with the next syllable (ba-by); two or more are split (sum-mer, hap-py).
    const cluster = lower.slice(end, next);
    const keepsTogether = /^(ch|sh|th|ph|wh|ck|ng)$/.test(cluster);
    cuts.push(consonants <= 1 || keepsTogether ? end : end + Math.floor(consonants / 2));
  }
  const pieces: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(word.slice(start, cut));
    start = cut;
  }
  pieces.push(word.slice(start));
  return pieces.filter((piece) => piece.length > 0);
}

/** Words of a lyric line with punctuation removed (apostrophes kept). */
export function lyricWords(line: string): string[] {
  return line
    .replace(/[^\p{L}\p{N}'\s-]/gu, ' ')
    .split(/[\s-]+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
}

/** All syllables of a line, in order. */
export function syllabifyLine(line: string): string[] {
  return lyricWords(line).flatMap(syllabifyWord);
}
