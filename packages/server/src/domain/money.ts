/**
 * Money is held in integer micro-units (1 USD = 1,000,000 micro-USD; DIEM likewise), never floats.
 * Rounding rule: a price that does not fall on a whole micro-unit rounds half up to the nearest
 * micro-unit, once, at the end of the computation.
 */
declare const microsBrand: unique symbol;

/**
 * An amount in integer micro-units. A plain number (say a USD amount, 1.25) is not one: it
 * becomes one only through this module (`micros`, `toMicros`, `amountToMicros`, …), so a USD
 * number cannot reach a port or service that wants micro-units without a conversion.
 * Arithmetic on two of them gives a plain number: add them with {@link addMicros}.
 */
export type Micros = number & { readonly [microsBrand]: true };

/**
 * A number already known to be micro-units (a stored column, a test's amount) as {@link Micros}.
 * Throws when it is not a safe integer: that is a programming error, never a user's input.
 */
export function micros(value: number): Micros {
  if (!Number.isSafeInteger(value)) throw new Error(`Not a whole number of micro-units: ${value}`);
  return value as Micros;
}

/** No money. */
export const ZERO_MICROS: Micros = micros(0);

/** `a + b` in micro-units. */
export function addMicros(a: Micros, b: Micros): Micros {
  return (a + b) as Micros;
}

/**
 * A sum of stored micro-unit amounts (a SQL `SUM`) as {@link Micros}, unchecked: a sum of whole
 * numbers is whole, and past Number.MAX_SAFE_INTEGER (over $9 billion in all) it rounds, as a sum
 * made with {@link addMicros} does.
 */
export function summedMicros(value: number): Micros {
  return value as Micros;
}

/** `a − b` in micro-units. */
export function subtractMicros(a: Micros, b: Micros): Micros {
  return (a - b) as Micros;
}

/** One unit (USD or DIEM) in micro-units. */
export const MICROS_PER_UNIT = 1_000_000;

/** Convert a decimal amount (as found in catalogs and requests) to micro-units, rounding half up. */
export function toMicros(amount: number): Micros {
  if (!Number.isFinite(amount)) throw new RangeError(`Not a finite amount: ${amount}`);
  // Go through a fixed-point string so that 0.0023000000000000004 becomes exactly 2300.
  const scaled = Number((amount * MICROS_PER_UNIT).toFixed(3));
  return (Math.sign(scaled) * Math.floor(Math.abs(scaled) + 0.5)) as Micros;
}

/** Convert micro-units back to a decimal number for display on the wire. */
export function fromMicros(amount: Micros): number {
  // A whole number of micro-units divided by 10^6 is rounded once, to the double nearest the
  // exact decimal: the same double that parsing its six-decimal text gives.
  return amount / MICROS_PER_UNIT;
}

/** `rate × units ÷ divisor` in integer arithmetic, rounded half up; exact for any safe inputs. */
export function scaleMicros(rate: Micros, units: number, divisor = 1): Micros {
  // While every step stays a safe integer, doubles are exact: `%` is exact, and so is dividing
  // a multiple of the divisor. This is the path of every real price, and BigInts cost ~1 µs.
  const doubled = 2 * rate * units + divisor;
  if (Number.isSafeInteger(rate) && Number.isSafeInteger(units) && Number.isSafeInteger(divisor) && Number.isSafeInteger(doubled)) {
    const twice = 2 * divisor;
    return ((doubled - (doubled % twice)) / twice) as Micros;
  }
  const numerator = BigInt(rate) * BigInt(units);
  const whole = BigInt(divisor);
  const rounded = (numerator * 2n + whole) / (whole * 2n);
  return Number(rounded) as Micros;
}

/** The largest USD (or DIEM) amount one input may carry: an operator credit, a price, a limit. */
export const MAX_AMOUNT_USD = 1_000_000_000;

/** {@link MAX_AMOUNT_USD} in micro-units. */
export const MAX_AMOUNT_MICROS: Micros = micros(MAX_AMOUNT_USD * MICROS_PER_UNIT);

/**
 * The most one balance line may ever be granted in total: $9,000,000,000, i.e. 9 × 10^15
 * micro-units, just under Number.MAX_SAFE_INTEGER, so every part of a line (available, held,
 * captured) and every sum of them stays an exact integer. A credit that would pass it is refused.
 */
export const MAX_BALANCE_MICROS: Micros = micros(9 * MAX_AMOUNT_MICROS);

/** An amount from outside that breaks the money rule: names the field and the rule it breaks. */
export class AmountError extends Error {
  override name = 'AmountError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
  }
}

/** What a store throws when a grant would take a balance line past {@link MAX_BALANCE_MICROS}. */
export function balanceLimitError(): AmountError {
  return new AmountError(
    'usd',
    `would take the USD granted to this account past ${MAX_BALANCE_MICROS / MICROS_PER_UNIT}, the most one balance may be granted`,
  );
}

/** The rule every amount follows, as error messages state it. */
export const AMOUNT_RULE = `a decimal number from 0 to ${MAX_AMOUNT_USD} with at most 6 decimals`;

/** A decimal number as text: digits with an optional point and exponent (`2.5`, `.5`, `1e3`). */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,9}))?$/;

/**
 * Check a USD or DIEM amount from outside (a JSON number or a command-line string) and turn it
 * into exact integer micro-units: finite, not negative (above 0 with `positive`), at most 6
 * decimals, at most {@link MAX_AMOUNT_USD}. The decimal text is read digit by digit, so no
 * binary rounding happens; a number is read through its shortest round-trip text (`String`).
 * Answers the micro-units, or the rule broken (for the caller to name the field).
 */
export function checkAmount(value: unknown, options: { positive?: boolean } = {}): { micros: Micros } | { problem: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const match = text !== undefined && text.length <= 40 ? DECIMAL.exec(text) : null;
  if (!match || `${match[2]}${match[3] ?? ''}` === '') return { problem: `must be ${AMOUNT_RULE}` };
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  // The value is digits × 10^scale, with no leading or trailing zeros in digits.
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let scale = Number(exponent) - fraction.length;
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale += 1;
  }
  if (digits === '') return options.positive ? { problem: `must be above 0: ${AMOUNT_RULE}` } : { micros: ZERO_MICROS };
  if (sign === '-') return { problem: `must not be negative: ${AMOUNT_RULE}` };
  if (scale < -6) return { problem: `has more than 6 decimals (one micro-unit is 0.000001): ${AMOUNT_RULE}` };
  // At most 16 digits of micro-units before the comparison, so the BigInt stays small.
  const tooLarge = { problem: `must be at most ${MAX_AMOUNT_USD}: ${AMOUNT_RULE}` };
  if (digits.length + scale + 6 > 16) return tooLarge;
  const amount = BigInt(digits) * 10n ** BigInt(scale + 6);
  return amount > BigInt(MAX_AMOUNT_MICROS) ? tooLarge : { micros: micros(Number(amount)) };
}

/** {@link checkAmount}, throwing an {@link AmountError} that names `field` when the rule is broken. */
export function amountToMicros(value: unknown, field: string, options: { positive?: boolean } = {}): Micros {
  const checked = checkAmount(value, options);
  if ('problem' in checked) throw new AmountError(field, checked.problem);
  return checked.micros;
}
