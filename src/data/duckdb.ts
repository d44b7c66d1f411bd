import { createRequire } from "node:module";
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import { InputError } from "../errors.js";

/**
 * DuckDB, the engine behind reading, validating and storing runs. Imported lazily so commands that
 * never read runs (`laws`, `--help`) do not load its 70 MB native library. It runs on the main
 * thread; fitting workers get typed arrays, never a connection.
 */
export type Duck = typeof import("@duckdb/node-api");

let module: Promise<Duck> | undefined;

/**
 * The `@duckdb/node-api` module, loaded once. It is CommonJS: `require` loads it in about a third
 * of the time `import()` takes, which also scans every one of its files for named exports.
 */
export function duck(): Promise<Duck> {
  module ??= Promise.resolve().then(
    () => createRequire(import.meta.url)("@duckdb/node-api") as Duck,
  );
  return module;
}

/** An open database with one connection; `close()` releases both. */
export interface Db {
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;
  close(): void;
}

/** Opens an in-memory database (staging area for files; stores are ATTACHed to it). */
export async function openMemoryDb(): Promise<Db> {
  const { DuckDBInstance } = await duck();
  // Insertion order is kept so a staged table's rowid is the record's position in its file.
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" });
  const conn = await instance.connect();
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal: `it's` → `'it''s'`. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier: `Model Size` → `"Model Size"`. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Runs a query and returns its rows as objects (small results only: summaries, problems). */
export async function rows(
  conn: DuckDBConnection,
  sql: string,
  values?: DuckDBValue[],
): Promise<Record<string, DuckDBValue>[]> {
  return (await conn.runAndReadAll(sql, values)).getRowObjects();
}

/** A DuckDB error message without its "Invalid Input Error:" prefix and trailing SQL excerpt. */
export function duckReason(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  const first = msg
    .split("\n")[0]
    .replace(/^[A-Za-z ]*Error: /, "")
    .trim();
  return first.replace(/\.$/, "");
}

/**
 * Checks a user's `--where` predicate: exactly one expression, no statement separators, and it
 * binds against `table`. Run through a prepared statement so `1=1; DROP TABLE runs` cannot run.
 * @throws InputError naming --where, with the available columns as hint
 */
export async function checkWhere(
  conn: DuckDBConnection,
  table: string,
  where: string,
  columns: readonly string[],
): Promise<void> {
  try {
    const stmt = await conn.prepare(`SELECT count(*) FROM ${table} WHERE (${where})`);
    stmt.destroySync();
  } catch (e) {
    throw new InputError(`cannot use --where "${where}": ${duckReason(e)}`, {
      field: "--where",
      hint: `write one SQL condition over ${columns.join(", ")}, e.g. --where "loss < 4 AND params >= 1e8"`,
    });
  }
}
