/**
 * Money is held in integer micro-units (1 USD = 1,000,000 micro-USD; DIEM likewise), never floats.
 * Rounding rule: a price that does not fall on a whole micro-unit rounds half up to the nearest
 * micro-unit, once, at the end of the computation.
 */
export type Micros = number;

/** One unit (USD or DIEM) in micro-units. */
export const MICROS_PER_UNIT = 1_000_000;

/** Convert a decimal amount (as found in catalogs and requests) to micro-units, rounding half up. */
export function toMicros(amount: number): Micros {
  if (!Number.isFinite(amount)) throw new RangeError(`Not a finite amount: ${amount}`);
  // Go through a fixed-point string so that 0.0023000000000000004 becomes exactly 2300.
  const scaled = Number((amount * MICROS_PER_UNIT).toFixed(3));
  return Math.sign(scaled) * Math.floor(Math.abs(scaled) + 0.5);
}

/** Convert micro-units back to a decimal number for display on the wire. */
export function fromMicros(micros: Micros): number {
  // A whole number of micro-units divided by 10^6 is rounded once, to the double nearest the
  // exact decimal: the same double that parsing its six-decimal text gives.
  return micros / MICROS_PER_UNIT;
}

/** `rate × units ÷ divisor` in integer arithmetic, rounded half up; exact for any safe inputs. */
export function scaleMicros(rate: Micros, units: number, divisor = 1): Micros {
  // While every step stays a safe integer, doubles are exact: `%` is exact, and so is dividing
  // a multiple of the divisor. This is the path of every real price, and BigInts cost ~1 µs.
  const doubled = 2 * rate * units + divisor;
  if (Number.isSafeInteger(rate) && Number.isSafeInteger(units) && Number.isSafeInteger(divisor) && Number.isSafeInteger(doubled)) {
    const twice = 2 * divisor;
    return (doubled - (doubled % twice)) / twice;
  }
  const numerator = BigInt(rate) * BigInt(units);
  const whole = BigInt(divisor);
  const rounded = (numerator * 2n + whole) / (whole * 2n);
  return Number(rounded);
}
