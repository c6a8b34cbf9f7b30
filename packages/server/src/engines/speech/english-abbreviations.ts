/** Common English abbreviations and symbols, expanded to words. Pure. */

/** Titles read before a name; the period is dropped so it does not end the sentence. */
const TITLES: Readonly<Record<string, string>> = {
  dr: 'Doctor',
  mr: 'Mister',
  mrs: 'Missus',
  ms: 'Miz',
  prof: 'Professor',
  rev: 'Reverend',
  gen: 'General',
  capt: 'Captain',
  lt: 'Lieutenant',
  sgt: 'Sergeant',
  gov: 'Governor',
  sen: 'Senator',
  rep: 'Representative',
  hon: 'Honorable',
  fr: 'Father',
  mt: 'Mount',
  ft: 'Fort',
};

/** Abbreviations whose expansion does not depend on what follows. */
const PLAIN: Readonly<Record<string, string>> = {
  'e.g.': 'for example',
  'i.e.': 'that is',
  'vs.': 'versus',
  'etc.': 'et cetera',
  'approx.': 'approximately',
  'jr.': 'Junior',
  'sr.': 'Senior',
  'ave.': 'Avenue',
  'blvd.': 'Boulevard',
  'rd.': 'Road',
  'inc.': 'Incorporated',
  'ltd.': 'Limited',
  'corp.': 'Corporation',
  'dept.': 'Department',
  'est.': 'established',
  'min.': 'minutes',
  'max.': 'maximum',
  'fig.': 'figure',
  'vol.': 'volume',
  'p.s.': 'P S',
};

const escapeForPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Not after a digit: "3rd." is an ordinal ending a sentence, not "3 Road".
const PLAIN_PATTERN = new RegExp(
  `(^|[^\\p{L}\\p{N}])(${Object.keys(PLAIN).map(escapeForPattern).join('|')})(?=(\\s+)(\\S)|$|[^\\p{L}])`,
  'giu',
);

/** Expand titles, "St." (Saint before a name, Street otherwise), "No. 5" and the plain list. */
export function expandAbbreviations(text: string): string {
  let result = text.replace(/\b([A-Z][a-z]{1,3})\.(?=\s+[A-Z])/g, (whole, word: string) => {
    const title = TITLES[word.toLowerCase()];
    return title ?? whole;
  });
  result = result.replace(/\bSt\.(\s+)(?=[A-Z])/g, 'Saint$1');
  result = result.replace(/\bSt\./g, 'Street');
  result = result.replace(/\bNo\.\s*(?=\d)/g, 'number ').replace(/#(?=\d)/g, 'number ');
  result = result.replace(PLAIN_PATTERN, (_whole, before: string, abbreviation: string, _space, next?: string) => {
    const words = PLAIN[abbreviation.toLowerCase()] as string;
    // Keep a sentence end when the abbreviation closes the sentence.
    const endsSentence = next === undefined || /[\p{Lu}]/u.test(next);
    return `${before}${words}${endsSentence && abbreviation.toLowerCase() === 'etc.' ? '.' : ''}`;
  });
  return result;
}

/** Symbols read as words; applied after numbers, currency and addresses were handled. */
export function expandSymbols(text: string): string {
  return text
    .replace(/\s*&\s*/g, ' and ')
    .replace(/\s\+\s/g, ' plus ')
    .replace(/\s=\s/g, ' equals ')
    .replace(/°\s?C\b/g, ' degrees Celsius')
    .replace(/°\s?F\b/g, ' degrees Fahrenheit')
    .replace(/°/g, ' degrees')
    .replace(/\s@\s/g, ' at ');
}
