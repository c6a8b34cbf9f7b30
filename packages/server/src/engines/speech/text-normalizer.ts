/** Turn written text into something a speech synthesizer reads the way a person would. Pure. */
import { expandAbbreviations, expandSymbols } from './english-abbreviations.js';
import { normalizeEnglish } from './english-normalizer.js';

/** Words used when reading addresses aloud, per language (English when missing). */
const ADDRESS_WORDS: Readonly<Record<string, { dot: string; at: string; slash: string }>> = {
  en: { dot: 'dot', at: 'at', slash: 'slash' },
  de: { dot: 'Punkt', at: 'at', slash: 'Schrägstrich' },
  fr: { dot: 'point', at: 'arobase', slash: 'barre oblique' },
  es: { dot: 'punto', at: 'arroba', slash: 'barra' },
  it: { dot: 'punto', at: 'chiocciola', slash: 'barra' },
  pt: { dot: 'ponto', at: 'arroba', slash: 'barra' },
  nl: { dot: 'punt', at: 'apenstaartje', slash: 'schuine streep' },
};

const TOP_LEVEL_DOMAINS = 'com|org|net|io|dev|ai|co|uk|de|fr|es|it|nl|eu|edu|gov|app|info|me|tv|us|ca|au|jp|cn|in|br|ru';
const URL_PATTERN = new RegExp(
  `\\b(?:https?:\\/\\/)?(?:www\\.)?((?:[a-z0-9-]+\\.)+(?:${TOP_LEVEL_DOMAINS}))\\b((?:\\/[\\w\\-.~%]*)*)(?:[?#][^\\s]*)?`,
  'gi',
);
const EMAIL_PATTERN = /\b([\w.+-]+)@((?:[\w-]+\.)+[a-z]{2,})\b/gi;

function readPart(part: string, words: { dot: string; slash: string }): string {
  return part
    .split(/([./_-])/)
    .filter((piece) => piece !== '')
    .map((piece) => {
      if (piece === '.') return ` ${words.dot} `;
      if (piece === '/') return ` ${words.slash} `;
      if (piece === '_') return ' underscore ';
      if (piece === '-') return ' dash ';
      return piece;
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function expandAddresses(text: string, language: string): string {
  const words = ADDRESS_WORDS[language] ?? ADDRESS_WORDS.en!;
  let result = text.replace(
    EMAIL_PATTERN,
    (_whole, local: string, domain: string) => `${readPart(local, words)} ${words.at} ${readPart(domain, words)}`,
  );
  result = result.replace(URL_PATTERN, (whole, domain: string, path: string) => {
    if (/^\d+(\.\d+)+$/.test(domain)) return whole;
    const trimmedPath = path.replace(/\/+$/, '');
    return readPart(domain + trimmedPath, words);
  });
  return result;
}

/** Remove emoji, markdown marks and control characters; keep paragraph breaks. */
function cleanUp(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is listed on purpose (emoji parts are stripped one by one)
      .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}]/gu, ' ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, ' ')
      .replace(/^\s*(#{1,6}|[-*•]|>)\s+/gm, '')
      .replace(/(\*\*|__|`+|~~)/g, '')
      .replace(/[ \t]+/g, ' ')
  );
}

/** English regions that spell "kilometre"; other English (and plain `en`) spells "kilometer". */
const BRITISH_SPELLING = new Set(['gb', 'uk', 'au', 'nz', 'ie', 'za', 'in']);

/**
 * Normalise text for speaking in `language` (ISO 639-1, optionally with a region: `en-gb`). English
 * gets the full rule set (numbers, ordinals, dates, month abbreviations, times, money, units,
 * percentages, abbreviations, addresses); other languages get clean-up and addresses, and eSpeak
 * NG reads their numbers itself.
 */
export function normalizeText(text: string, language = 'en'): string {
  const [base = 'en', region = ''] = language.toLowerCase().split(/[-_]/);
  let result = expandAddresses(cleanUp(text), base);
  if (base === 'en') {
    result = expandAbbreviations(result);
    result = normalizeEnglish(result, !BRITISH_SPELLING.has(region));
    result = expandSymbols(result);
  }
  return result
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/ ([,.!?;:])/g, '$1')
    .trim();
}

/** True when the text has at least one letter or digit to speak (not just punctuation, emoji or space). */
export function hasSpeakableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
