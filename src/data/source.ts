import type { DuckDBConnection } from "@duckdb/node-api";
import { InputError } from "../errors.js";
import { scanDelimited } from "./delimited-scan.js";
import { duckReason, isMachineFailure, rows, sqlIdent, sqlString } from "./duckdb.js";
import { detectFormat, type Format } from "./formats.js";
import { readHeader } from "./header.js";
import { duckPath } from "./input.js";
import { scanJson } from "./json-scan.js";

/**
 * A file as a temporary table (copied) or view (read again by every query over it), one row per
 * record, numbered in file order from 0 by column `row` (`rowid` for a table).
 */
export interface RawSource {
  readonly file: string;
  readonly format: Format;
  readonly table: string;
  /** The column numbering records in file order from 0. */
  readonly row: string;
  /** The table function that reads the file (a view's source, without record numbers). */
  readonly reader: string;
  /** Column names in file order, and their DuckDB types (all VARCHAR for text formats). */
  readonly columns: readonly string[];
  readonly types: readonly string[];
  /** Records in the file; for a view, 1 when it has any and 0 when none (counting reads it all). */
  readonly rows: number;
}

/** The record-number column of a raw view (a name no file column may take, see `RESERVED`). */
export const VIEW_ROW = "sl_row__";

/**
 * Reads a file of runs into temporary table `table` with DuckDB. Delimited and JSON files are read
 * as text (`VARCHAR`) so every cell is parsed later by one rule (size suffixes, exact error
 * positions), and nothing fails half-way because a type was guessed from the first rows.
 * @throws InputError for wrong file types, empty files, malformed CSV/JSON and unreadable Parquet
 */
export async function readSource(
  conn: DuckDBConnection,
  file: string,
  table: string,
  format?: string,
  opts: { view?: boolean } = {},
): Promise<RawSource> {
  const f = detectFormat(file, format);
  let reader: string;
  if (f === "csv" || f === "tsv") reader = delimitedReader(file, f);
  else if (f === "parquet") reader = `read_parquet(${sqlString(duckPath(file))})`;
  else {
    // Deep nesting makes DuckDB's JSON reader take gigabytes or crash: refuse it before reading.
    scanJson(file);
    reader = await jsonReader(conn, file, f);
  }
  // A view streams the file through each query: no copy in memory, and a big file is read as it
  // goes (record numbers from a streaming window, which keeps the file's order).
  const view = opts.view === true;
  try {
    await conn.run(
      view
        ? `CREATE OR REPLACE TEMP VIEW ${table} AS SELECT row_number() OVER () - 1 AS ${VIEW_ROW}, * FROM ${reader}`
        : `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${reader}`,
    );
  } catch (e) {
    throw readError(e, file, f);
  }
  const desc = (
    await rows(conn, `SELECT column_name, column_type FROM (DESCRIBE ${table})`)
  ).filter((d) => !view || d.column_name !== VIEW_ROW);
  const n = await readingFile(file, f, () =>
    rows(
      conn,
      view
        ? `SELECT count(*)::DOUBLE AS n FROM (SELECT 1 FROM ${table} LIMIT 1)`
        : `SELECT count(*)::DOUBLE AS n FROM ${table}`,
    ),
  );
  const columns = desc.map((d) => String(d.column_name));
  if (f === "json" || f === "jsonl") {
    if (columns.length === 1 && columns[0] === "json") {
      throw new InputError("JSON records must be objects", {
        file,
        line: 1,
        hint: 'write one object per checkpoint, e.g. {"params": 1e8, "tokens": 2e9, "loss": 3.1}',
      });
    }
  }
  return {
    file,
    format: f,
    table,
    row: view ? VIEW_ROW : "rowid",
    reader,
    columns,
    types: desc.map((d) => String(d.column_type)),
    rows: Number(n[0].n),
  };
}

/**
 * Runs `work`, which reads the file (through a raw view), turning a failure to read it into the
 * one-line message of {@link readSource}. Failures of the machine (memory, disk) and errors of
 * ours pass through as they are.
 */
export async function readingFile<T>(file: string, f: Format, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof InputError || isMachineFailure(e)) throw e;
    throw readError(e, file, f);
  }
}

/** `read_csv` with the header parsed by us, every column as text and strict RFC 4180 quoting. */
function delimitedReader(file: string, f: Format): string {
  const delim = f === "tsv" ? "\t" : ",";
  const header = readHeader(file, delim);
  const columns = `{${header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(", ")}}`;
  return `read_csv(${sqlString(duckPath(file))}, auto_detect = false, header = true, columns = ${columns}, delim = ${sqlString(delim)}, quote = '"', escape = '"', strict_mode = true, null_padding = false)`;
}

/** `read_json` with every key found in a sample forced to text. */
async function jsonReader(conn: DuckDBConnection, file: string, f: Format): Promise<string> {
  const fmt = f === "jsonl" ? "newline_delimited" : "auto";
  const base = `read_json(${sqlString(duckPath(file))}, format = '${fmt}'`;
  let names: string[];
  try {
    names = (await rows(conn, `SELECT column_name FROM (DESCRIBE SELECT * FROM ${base}))`)).map(
      (r) => String(r.column_name),
    );
  } catch (e) {
    throw readError(e, file, f);
  }
  if (names.length === 1 && names[0] === "json") return `${base})`;
  return `${base}, columns = {${names.map((n) => `${sqlIdent(n)}: 'VARCHAR'`).join(", ")}})`;
}

/** Turns a DuckDB read failure into a one-line InputError with the line it names. */
function readError(e: unknown, file: string, f: Format): InputError {
  const msg = (e as Error)?.message ?? String(e);
  if (f === "csv" || f === "tsv") {
    // Our own pass gives the precise reason (ragged row, unterminated quote, mixed line endings)
    // with its line, streaming, so files past V8's 512 MiB string limit work too.
    scanDelimited(file, f === "tsv" ? "\t" : ",", { check: true });
    const line = /CSV Error on Line: (\d+)/.exec(msg)?.[1];
    const detail = msg
      .split("\n")
      .find((l, i) => i > 0 && l.trim() && !l.startsWith("Original Line"))
      ?.trim();
    return new InputError(
      `cannot read as ${f.toUpperCase()}: ${(detail ?? duckReason(e)).replace(/\.$/, "")}`,
      {
        file,
        line: line ? Number(line) : undefined,
        hint: "check quoting and the number of cells on that line",
      },
    );
  }
  if (f === "json" || f === "jsonl") {
    const m = /at byte \d+ in line (\d+): ([^\n.]*)/.exec(msg);
    if (m)
      return new InputError(`malformed JSON: ${m[2].trim()}`, {
        file,
        line: Number(m[1]),
        hint:
          f === "jsonl"
            ? "each line must be one complete JSON object"
            : "check the JSON syntax near that line",
      });
    return new InputError(`cannot read as JSON: ${duckReason(e)}`, {
      file,
      hint: "expected an array of objects or one object per line",
    });
  }
  return new InputError(`cannot read Parquet: ${duckReason(e)}`, {
    file,
    hint: "the file may be corrupt or truncated; export it again",
  });
}
