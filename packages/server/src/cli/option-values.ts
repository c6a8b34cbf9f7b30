import { UsageError } from './exit-codes.js';

type Options = Readonly<Record<string, string | true>>;

/** A string option, or undefined. */
export function text(options: Options, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A numeric option, or undefined; a usage error when it is not a number within the bounds. */
export function number(options: Options, name: string, check: (value: number) => boolean = Number.isFinite): number | undefined {
  const value = text(options, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || !check(parsed))
    throw new UsageError(`--${name} needs a valid number, not "${value}"`);
  return parsed;
}

/** A whole number above 0, for counts and seconds. */
export const positiveInteger = (value: number): boolean => Number.isInteger(value) && value > 0;

/** A required string option. */
export function required(options: Options, name: string, what = name.toUpperCase()): string {
  const value = text(options, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} ${what} is required`);
  return value;
}

/** `fields` without those that are undefined: the optional fields of a request, set only when given. */
export function definedFields<Fields extends Record<string, unknown>>(
  fields: Fields,
): { [Key in keyof Fields]?: Exclude<Fields[Key], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [Key in keyof Fields]?: Exclude<Fields[Key], undefined>;
  };
}
