/**
 * Units of measure and month abbreviations in English text, read as words: "3 km" → "3
 * kilometres", "1 kg" → "1 kilogram", "20 km/h" → "20 kilometres per hour", "Jan." → "January".
 * Numbers stay digits here (the number rules read them next). Pure.
 */

/** A unit's singular and plural, with American spellings where they differ. */
interface UnitWords {
  readonly one: string;
  readonly many: string;
  readonly american?: readonly [string, string];
}

const metric = (stem: string): UnitWords => ({ one: `${stem}metre`, many: `${stem}metres`, american: [`${stem}meter`, `${stem}meters`] });
const litre = (stem: string): UnitWords => ({ one: `${stem}litre`, many: `${stem}litres`, american: [`${stem}liter`, `${stem}liters`] });
const perHour = (unit: UnitWords): UnitWords => ({
  one: `${unit.one} per hour`,
  many: `${unit.many} per hour`,
  american: unit.american ? [`${unit.american[0]} per hour`, `${unit.american[1]} per hour`] : undefined,
});
const plain = (one: string, many = `${one}s`): UnitWords => ({ one, many });

/** Units by symbol (case matters: MB is megabytes, mb is not read). Longer symbols are tried first. */
const UNITS: Readonly<Record<string, UnitWords>> = {
  'km/h': perHour(metric('kilo')),
  kph: perHour(metric('kilo')),
  'm/s': { one: 'metre per second', many: 'metres per second', american: ['meter per second', 'meters per second'] },
  mph: plain('mile per hour', 'miles per hour'),
  km: metric('kilo'),
  cm: metric('centi'),
  mm: metric('milli'),
  m: metric(''),
  kg: plain('kilogram'),
  mg: plain('milligram'),
  g: plain('gram'),
  ml: litre('milli'),
  lbs: plain('pound'),
  lb: plain('pound'),
  oz: plain('ounce'),
  ft: plain('foot', 'feet'),
  mi: plain('mile'),
  kWh: plain('kilowatt-hour'),
  kW: plain('kilowatt'),
  MW: plain('megawatt'),
  kHz: plain('kilohertz', 'kilohertz'),
  MHz: plain('megahertz', 'megahertz'),
  GHz: plain('gigahertz', 'gigahertz'),
  Hz: plain('hertz', 'hertz'),
  Mbps: plain('megabit per second', 'megabits per second'),
  KB: plain('kilobyte'),
  kB: plain('kilobyte'),
  MB: plain('megabyte'),
  GB: plain('gigabyte'),
  TB: plain('terabyte'),
  '°C': plain('degree Celsius', 'degrees Celsius'),
  '°F': plain('degree Fahrenheit', 'degrees Fahrenheit'),
};

/** Units also read without a number before them ("how many km", "per kg"): unambiguous symbols only. */
const BARE = ['km/h', 'kph', 'mph', 'km', 'cm', 'kg', 'mg', 'kWh', 'kW'];

const escapeForPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const symbols = Object.keys(UNITS).sort((a, b) => b.length - a.length);
const unitAlternatives = symbols.map((symbol) => escapeForPattern(symbol).replace('°', '°\\s?')).join('|');
const NUMBER_UNIT = new RegExp(
  `(^|[^\\p{L}\\p{N}.,])(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?\\s?(${unitAlternatives})(?![\\p{L}\\p{N}])`,
  'gu',
);
const BARE_UNIT = new RegExp(`(^|[^\\p{L}\\p{N}])(per\\s+)?(${BARE.map(escapeForPattern).join('|')})(?![\\p{L}\\p{N}/])`, 'gu');

function unitWord(symbol: string, singular: boolean, american: boolean): string {
  const words = UNITS[symbol.replace(/\s/g, '')] as UnitWords;
  const [one, many] = american && words.american ? words.american : [words.one, words.many];
  return singular ? one : many;
}

/**
 * "3 km" → "3 kilometres": singular for exactly 1, and after "a"/"an", where the measure describes
 * a noun ("a 5 km walk" → "a 5 kilometre walk"); `american` picks "kilometers".
 */
export function expandUnits(text: string, american = false): string {
  const withNumbers = text.replace(
    NUMBER_UNIT,
    (_match, before: string, integer: string, fraction: string | undefined, symbol: string, offset: number, whole: string) => {
      const afterArticle = /(^|[^\p{L}])an?\s+$/iu.test(whole.slice(0, offset + before.length));
      const singular = (integer === '1' && fraction === undefined) || afterArticle;
      return `${before}${integer}${fraction ?? ''} ${unitWord(symbol, singular, american)}`;
    },
  );
  return withNumbers.replace(
    BARE_UNIT,
    (_whole, before: string, per: string | undefined, symbol: string) =>
      `${before}${per ?? ''}${unitWord(symbol, per !== undefined, american)}`,
  );
}

const MONTH_NAMES: Readonly<Record<string, string>> = {
  Jan: 'January',
  Feb: 'February',
  Mar: 'March',
  Apr: 'April',
  Jun: 'June',
  Jul: 'July',
  Aug: 'August',
  Sep: 'September',
  Sept: 'September',
  Oct: 'October',
  Nov: 'November',
  Dec: 'December',
};

/**
 * Month abbreviations left after the date rules: "Jan." anywhere, and "Jan 2025" before a year
 * (a bare "Jan" may be a name). The period stays when it also ends the sentence.
 */
export function expandMonthAbbreviations(text: string): string {
  const names = Object.keys(MONTH_NAMES).join('|');
  const dotted = new RegExp(`\\b(${names})\\.(?=(\\s+\\S)?)`, 'g');
  const result = text.replace(dotted, (_whole, short: string, next: string | undefined) => {
    const endsSentence = next === undefined || /[\p{Lu}"“]/u.test(next.trim());
    return `${MONTH_NAMES[short]}${endsSentence ? '.' : ''}`;
  });
  return result.replace(new RegExp(`\\b(${names})(?=\\s+\\d{4}\\b)`, 'g'), (short: string) => MONTH_NAMES[short] as string);
}
