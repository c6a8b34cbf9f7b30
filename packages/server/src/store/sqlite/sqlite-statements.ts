import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The compiled statement for this SQL on this connection, compiled once. Compiling was the
 * largest cost of a retrieve under load (about a fifth of the CPU), so every query goes here.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let compiled = cache.get(sql);
  if (!compiled) cache.set(sql, (compiled = db.prepare(sql)));
  return compiled;
}
