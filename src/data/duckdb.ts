import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import { InputError } from "../errors.js";
import { validateWhere } from "./where.js";

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

/**
 * Opens an in-memory database (staging area for files; stores are ATTACHed to it). It never
 * installs or loads extensions (no downloads), and spills to its own folder in the OS temporary
 * directory, removed on close, never to `./.tmp` in the user's working folder.
 */
export async function openMemoryDb(): Promise<Db> {
  const { DuckDBInstance } = await duck();
  const temp = join(
    tmpdir(),
    `scaleladder-duckdb-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  const instance = await DuckDBInstance.create(":memory:", {
    // Insertion order is kept so a staged table's rowid is the record's position in its file.
    preserve_insertion_order: "true",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    temp_directory: temp,
    // The allocator hands freed pages back to the system as it goes, not only after a task that
    // peaked high: peak RSS of a 20M-row import with a filter 367-402 -> 305-317 MiB (Parquet),
    // 361 -> 301 MiB (CSV); of the 2M-row import 307-311 -> 264-268 MiB; the same CPU.
    allocator_background_threads: "true",
  });
  const conn = await instance.connect();
  access.set(conn, { paths: new Set(), temp, sealed: false });
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
      rmSync(temp, { recursive: true, force: true });
    },
  };
}

/** Files a connection may still open once sealed, and its spill folder. */
const access = new WeakMap<
  DuckDBConnection,
  { paths: Set<string>; temp: string; sealed: boolean }
>();

/** Lets the connection keep using these files (a store and its log) after {@link sealDb}. */
export function allowPaths(conn: DuckDBConnection, paths: readonly string[]): void {
  const a = access.get(conn);
  for (const p of paths) {
    a?.paths.add(p);
    a?.paths.add(resolve(p));
  }
}

/**
 * Before a user's expression runs: turns off DuckDB's access to files and the network (except the
 * store files allowed with {@link allowPaths} and the spill folder) and locks the configuration, so
 * no expression can read, list or download anything. The files to read are read by then.
 */
export async function sealDb(conn: DuckDBConnection): Promise<void> {
  const a = access.get(conn);
  if (!a || a.sealed) return;
  const list = (xs: Iterable<string>) => `[${[...xs].map(sqlString).join(", ")}]`;
  await conn.run(`SET allowed_paths = ${list(a.paths)}`);
  await conn.run(`SET allowed_directories = ${list([a.temp, `${a.temp}/`])}`);
  await conn.run("SET enable_external_access = false");
  await conn.run("SET lock_configuration = true");
  a.sealed = true;
}

/** Whether {@link sealDb} has locked the connection's configuration. */
export function isSealed(conn: DuckDBConnection): boolean {
  return access.get(conn)?.sealed === true;
}

/**
 * Runs `work` with `preserve_insertion_order` off where the configuration can still change (not
 * sealed), for bulk writes whose row order does not matter: DuckDB then writes each row group
 * once, where keeping the order makes it write them as batches and rewrite them at checkpoint.
 */
export async function unordered<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  if (isSealed(conn)) return work();
  await conn.run("SET preserve_insertion_order = false");
  let done = false;
  try {
    const out = await work();
    done = true;
    return out;
  } finally {
    // A failed statement aborts its transaction and no SET runs until the rollback: then the
    // caller rolls back and calls keepOrder, and the statement's own error is the one thrown.
    await conn.run("SET preserve_insertion_order = true").catch((e) => {
      if (done) throw e;
    });
  }
}

/** Puts back the insertion order {@link unordered} turned off, after a rollback. */
export async function keepOrder(conn: DuckDBConnection): Promise<void> {
  if (!isSealed(conn)) await conn.run("SET preserve_insertion_order = true");
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

/**
 * Whether DuckDB failed for want of the machine (memory, disk) or was interrupted: not the fault
 * of the file or the filter it was running, so not to be reported as theirs.
 */
export function isMachineFailure(e: unknown): boolean {
  // By the error's kind at the start: the rest of a message may quote a cell or the filter.
  const m = String((e as Error)?.message ?? e).replace(/^Error: /, "");
  return /^(Out of Memory|Interrupt) Error/i.test(m) || /^IO Error.*(No space left|disk)/is.test(m);
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
 * Checks a user's `--where` predicate: a filter in our small grammar (see where.ts: comparisons,
 * boolean logic, IN, BETWEEN, IS NULL, LIKE, columns, literals, a few pure functions), and it
 * binds against `table`. The connection is sealed first ({@link sealDb}), and the predicate is
 * prepared, never run, here, so `1=1; DROP TABLE runs` cannot run.
 * @throws InputError naming --where, with the available columns as hint
 */
export async function checkWhere(
  conn: DuckDBConnection,
  table: string,
  where: string,
  columns: readonly string[],
): Promise<void> {
  validateWhere(where, columns);
  await sealDb(conn);
  try {
    const stmt = await conn.prepare(`SELECT count(*) FROM ${table} WHERE (${where})`);
    stmt.destroySync();
  } catch (e) {
    throw new InputError(`cannot use \`where\` "${where}": ${duckReason(e)}`, {
      field: "where",
      hint: `write one SQL condition over ${columns.join(", ")}, e.g. \`where\` "loss < 4 AND params >= 1e8"`,
    });
  }
}
