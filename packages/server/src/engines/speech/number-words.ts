/** English number words: cardinals, ordinals, years and decimals. Pure functions. */

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

function belowHundred(value: number): string {
  if (value < 20) return ONES[value] as string;
  const tens = TENS[Math.floor(value / 10)] as string;
  return value % 10 === 0 ? tens : `${tens}-${ONES[value % 10]}`;
}

function belowThousand(value: number): string {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  if (hundreds === 0) return belowHundred(rest);
  return rest === 0 ? `${ONES[hundreds]} hundred` : `${ONES[hundreds]} hundred ${belowHundred(rest)}`;
}

/** "1234" → "one thousand two hundred thirty-four"; digit strings too long for words are read digit by digit. */
export function cardinalWords(digits: string | number): string {
  const text = String(digits).replace(/^0+(?=\d)/, '');
  if (text.length > 18) return digitWords(text);
  let value = BigInt(text);
  if (value === 0n) return 'zero';
  const groups: string[] = [];
  for (let scale = 0; value > 0n; scale++) {
    const group = Number(value % 1000n);
    if (group > 0) groups.unshift(SCALES[scale] ? `${belowThousand(group)} ${SCALES[scale]}` : belowThousand(group));
    value /= 1000n;
  }
  return groups.join(' ');
}

/** "2025" → "two zero two five". */
export function digitWords(digits: string): string {
  return [...digits]
    .filter((digit) => /\d/.test(digit))
    .map((digit) => ONES[Number(digit)])
    .join(' ');
}

const IRREGULAR_ORDINALS: Readonly<Record<string, string>> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/** "21" → "twenty-first". */
export function ordinalWords(digits: string | number): string {
  const words = cardinalWords(digits);
  const match = /([a-z]+)$/.exec(words);
  const last = match?.[1] ?? words;
  const stem = words.slice(0, words.length - last.length);
  const irregular = IRREGULAR_ORDINALS[last];
  if (irregular) return stem + irregular;
  if (last.endsWith('y')) return `${stem}${last.slice(0, -1)}ieth`;
  return `${stem}${last}th`;
}

/** Read a four-digit year the way people say it: 1984 → "nineteen eighty-four", 2005 → "two thousand five". */
export function yearWords(year: number): string {
  if (year < 1000 || year > 9999) return cardinalWords(year);
  const century = Math.floor(year / 100);
  const rest = year % 100;
  if (year % 1000 < 10 && century % 10 === 0) return cardinalWords(year);
  if (rest === 0) return `${belowHundred(century)} hundred`;
  if (rest < 10) return `${belowHundred(century)} oh ${ONES[rest]}`;
  return `${belowHundred(century)} ${belowHundred(rest)}`;
}

/** "3.14" → "three point one four"; "-2" → "minus two"; thousands separators are ignored. */
export function decimalWords(text: string): string {
  const negative = /^[-−]/.test(text);
  const [whole = '0', fraction] = text
    .replace(/^[-−+]/, '')
    .replace(/,/g, '')
    .split('.');
  let words = cardinalWords(whole === '' ? '0' : whole);
  if (fraction) words += ` point ${digitWords(fraction)}`;
  return negative ? `minus ${words}` : words;
}
