/** English text normalisation: dates, times, money, units, percentages and numbers become words. Pure. */
import { expandMonthAbbreviations, expandUnits } from './english-units.js';
import { cardinalWords, decimalWords, ordinalWords, yearWords } from './number-words.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_PATTERN =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';

function monthIndex(name: string): number {
  return MONTHS.findIndex((month) => month.toLowerCase().startsWith(name.slice(0, 3).toLowerCase()));
}

function dateWords(month: number, day: number, year?: number): string {
  const monthName = MONTHS[month - 1] as string;
  const text = `${monthName} ${ordinalWords(day)}`;
  return year === undefined ? text : `${text}, ${yearWords(year)}`;
}

const validDate = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31;

function expandDates(text: string): string {
  let result = text.replace(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, (whole, year: string, month: string, day: string) =>
    validDate(Number(month), Number(day)) ? dateWords(Number(month), Number(day), Number(year)) : whole,
  );
  result = result.replace(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g, (whole, first: string, second: string, year: string) => {
    const [month, day] = Number(first) > 12 ? [Number(second), Number(first)] : [Number(first), Number(second)];
    return validDate(month, day) ? dateWords(month, day, Number(year)) : whole;
  });
  const monthDay = new RegExp(`\\b${MONTH_PATTERN}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, 'g');
  result = result.replace(monthDay, (whole, month: string, day: string, year?: string) =>
    validDate(monthIndex(month) + 1, Number(day)) ? dateWords(monthIndex(month) + 1, Number(day), year ? Number(year) : undefined) : whole,
  );
  const dayMonth = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_PATTERN}(?:,?\\s+(\\d{4})\\b)?`, 'g');
  return result.replace(dayMonth, (whole, day: string, month: string, year?: string) =>
    validDate(monthIndex(month) + 1, Number(day))
      ? `the ${ordinalWords(day)} of ${MONTHS[monthIndex(month)]}${year ? `, ${yearWords(Number(year))}` : ''}`
      : whole,
  );
}

function clockWords(hours: number, minutes: number, suffix?: string): string {
  const period = suffix ? ` ${suffix.replace(/\./g, '').toUpperCase().split('').join(' ')}` : '';
  if (minutes === 0) return suffix ? `${cardinalWords(hours)}${period}` : `${cardinalWords(hours)} o'clock`;
  const minuteText = minutes < 10 ? `oh ${cardinalWords(minutes)}` : cardinalWords(minutes);
  return `${cardinalWords(hours)} ${minuteText}${period}`;
}

/** Keep the sentence end when a consumed "p.m." closed the sentence. */
function keepSentenceEnd(matched: string, offset: number, whole: string): string {
  const after = whole.slice(offset + matched.length);
  return matched.endsWith('.') && /^(\s+[\p{Lu}"“]|\s*$)/u.test(after) ? '.' : '';
}

function expandTimes(text: string): string {
  const result = text.replace(
    /\b([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?:\s*([ap]\.?m\b\.?))?/giu,
    (matched: string, hours: string, minutes: string, suffix: string | undefined, offset: number, whole: string) =>
      clockWords(Number(hours), Number(minutes), suffix) + keepSentenceEnd(matched, offset, whole),
  );
  return result.replace(
    /\b(1[0-2]|0?[1-9])\s*([ap]\.?m\b\.?)/giu,
    (matched: string, hours: string, suffix: string, offset: number, whole: string) =>
      clockWords(Number(hours), 0, suffix) + keepSentenceEnd(matched, offset, whole),
  );
}

const CURRENCIES: Readonly<Record<string, [string, string, string, string]>> = {
  $: ['dollar', 'dollars', 'cent', 'cents'],
  '€': ['euro', 'euros', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '¥': ['yen', 'yen', 'sen', 'sen'],
  '₹': ['rupee', 'rupees', 'paisa', 'paise'],
};

function moneyWords(symbol: string, amount: string, scale?: string): string {
  const [one, many, minorOne, minorMany] = CURRENCIES[symbol] as [string, string, string, string];
  const clean = amount.replace(/,/g, '');
  if (scale) return `${decimalWords(clean)} ${scale.toLowerCase()} ${many}`;
  const [whole = '0', fraction = ''] = clean.split('.');
  const major = Number(whole || '0');
  const minor = fraction.length > 0 ? Math.round(Number(`0.${fraction}`) * 100) : 0;
  const majorText = `${cardinalWords(whole || '0')} ${major === 1 ? one : many}`;
  const minorText = `${cardinalWords(minor)} ${minor === 1 ? minorOne : minorMany}`;
  if (minor === 0) return majorText;
  return major === 0 ? minorText : `${majorText} and ${minorText}`;
}

function expandMoney(text: string): string {
  return text.replace(
    /([$€£¥₹])\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:\s+(thousand|million|billion|trillion)\b)?/gi,
    (_whole, symbol: string, amount: string, scale?: string) => moneyWords(symbol, amount, scale),
  );
}

function expandNumbers(text: string): string {
  let result = text.replace(
    /(^|[^\d.,-])([-−]?\d+(?:\.\d+)?)\s?%/g,
    (_w, before: string, value: string) => `${before}${decimalWords(value)} percent`,
  );
  result = result.replace(/\b(\d+)(st|nd|rd|th)\b/gi, (_w, value: string) => ordinalWords(value));
  result = result.replace(/\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\b/g, (whole, integer: string, fraction?: string) => {
    if (!fraction && !integer.includes(',') && /^(1[1-9]|20)\d\d$/.test(integer)) return yearWords(Number(integer));
    return decimalWords(whole);
  });
  return result;
}

/** Apply every English rule, most specific first; `american` spells units "kilometer" rather than "kilometre". */
export function normalizeEnglish(text: string, american = true): string {
  let result = expandMonthAbbreviations(expandDates(text));
  result = expandTimes(result);
  result = expandMoney(result);
  result = expandUnits(result, american);
  result = result.replace(/(^|[\s(])[-−](\d)/g, '$1minus $2');
  result = result.replace(/(\d)\s*[-–]\s*(?=\d)/g, '$1 to ');
  return expandNumbers(result);
}
