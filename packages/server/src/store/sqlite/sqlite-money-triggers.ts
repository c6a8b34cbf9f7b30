import { MONEY_COLUMNS, type MoneyColumns } from '../money-columns.js';

/*
 * SQLite cannot add a CHECK constraint to an existing table (no ALTER TABLE ADD CONSTRAINT). The
 * alternative, rebuilding each table, would have to repeat every column and index of the earlier
 * migrations, and cannot drop `accounts` inside the migration's transaction while foreign keys
 * point at it. Triggers add the same guarantee without touching the data: BEFORE INSERT and
 * BEFORE UPDATE OF a money column, a value that is not an integer (SQLite stores 1.5, 1e306 or
 * Infinity as REAL, which a CHECK on `>= 0` lets through) or is out of range aborts the statement.
 * An UPDATE trigger limited to the money columns costs nothing on the frequent lease updates.
 */

/** SQL that is true when `row.column` breaks the money rule of `group`. */
function broken(group: MoneyColumns, row: string, column: string): string {
  const value = `${row}.${column}`;
  const wrong = `typeof(${value}) != 'integer' OR ${value} < 0 OR ${value} > ${group.maximum}`;
  return group.nullable ? `(${value} IS NOT NULL AND (${wrong}))` : `(${wrong})`;
}

const anyBroken = (group: MoneyColumns, row: string) => group.columns.map((column) => broken(group, row, column)).join(' OR ');

/** The message a refused write carries. */
const message = (group: MoneyColumns) => `${group.table}.${group.columns.join('/')} must be integer micro-units from 0 to ${group.maximum}`;

function triggers(group: MoneyColumns): string {
  const name = `${group.table}_${group.columns.join('_')}_money`;
  const raise = `BEGIN SELECT RAISE(ABORT, '${message(group)}'); END;`;
  return `
  CREATE TRIGGER ${name}_insert BEFORE INSERT ON ${group.table} WHEN ${anyBroken(group, 'NEW')} ${raise}
  CREATE TRIGGER ${name}_update BEFORE UPDATE OF ${group.columns.join(', ')} ON ${group.table} WHEN ${anyBroken(group, 'NEW')} ${raise}`;
}

/**
 * Rows already stored are checked first: a database holding a broken amount (from before this
 * migration) refuses to upgrade, naming the table, rather than keep a balance no one can settle.
 * RAISE works only in triggers, so a temporary table's named CHECK carries the refusal.
 */
function existingRowsCheck(): string {
  const columns = MONEY_COLUMNS.map(
    (group, index) =>
      `c${index} INTEGER CONSTRAINT "${message(group)}; fix the stored rows that break it, then migrate again" CHECK (c${index} = 0)`,
  );
  const counts = MONEY_COLUMNS.map((group) => `(SELECT COUNT(*) FROM ${group.table} WHERE ${anyBroken(group, group.table)})`);
  return `
  CREATE TEMP TABLE money_check (${columns.join(', ')});
  INSERT INTO money_check VALUES (${counts.join(', ')});
  DROP TABLE temp.money_check;`;
}

/** Migration: refuse non-integer or out-of-range money at the database, in every money column. */
export const SQLITE_MONEY_MIGRATION = `${existingRowsCheck()}${MONEY_COLUMNS.map(triggers).join('')}
`;
