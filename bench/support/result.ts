/** What a row reports: one or more figures, each against a baseline measured in the same run. */

/** One line of the table. */
export interface Figure {
  /** Row id used by the filter (`npm run bench -- retrieve`). */
  readonly row: string;
  /** What was measured, e.g. "/audio/retrieve req/s (10,000 in flight)". */
  readonly name: string;
  /** Overture's figure; undefined when it could not be measured. */
  readonly value: number | undefined;
  readonly unit: string;
  /** The same-run baseline and what it is; undefined when the row has none. */
  readonly baseline?: { readonly label: string; readonly value: number | undefined };
  /** Human-readable target, e.g. "≥ 0.5× bare". */
  readonly target: string;
  /** Whether the target is met; undefined when it could not be judged. */
  readonly met: boolean | undefined;
  /** Why the row is missing or anything the reader must know. */
  readonly note?: string;
  /** Every run's raw numbers, for the JSON file. */
  readonly runs?: readonly unknown[];
}

/** Overture's figure divided by the baseline; undefined when either is missing. */
export function ratioOf(figure: Figure): number | undefined {
  const base = figure.baseline?.value;
  if (figure.value === undefined || base === undefined || base === 0) return undefined;
  return figure.value / base;
}

/** A figure that could not be measured, with the reason. */
export function unavailable(row: string, name: string, target: string, note: string, unit = ''): Figure {
  return { row, name, value: undefined, unit, target, met: undefined, note };
}
