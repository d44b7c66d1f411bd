import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { LOOKS_LIKE } from "./columns.js";
import { openMemoryDb, rows } from "./duckdb.js";
import { detectFormat, readPrefix } from "./formats.js";
import { readSource } from "./source.js";

/** Line-based files larger than this are inspected from their first lines only. */
const PREFIX_BYTES = 1 << 20;

/** Canonical fields a page or a wizard offers to map, in the order they are shown. */
export const MAPPABLE_FIELDS = [
  "params",
  "tokens",
  "flops",
  "loss",
  "model",
  "family",
  "step",
  "seed",
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** What a file holds before any mapping: its columns, a few rows and a suggested mapping. */
export interface FileColumns {
  readonly format: string;
  /** Records in the file; null when only its first megabyte was read (a large text file). */
  readonly rows: number | null;
  readonly columns: readonly string[];
  /** The first rows, as text, for a preview. */
  readonly preview: readonly Record<string, string>[];
  /** A file column per field, when one is the canonical name or looks like it (`Model Size` → params). */
  readonly suggested: Partial<Record<MappableField, string>>;
}

/** Extra patterns for fields `LOOKS_LIKE` leaves out (it serves "did you mean" hints). */
const ALSO: Partial<Record<MappableField, RegExp>> = {
  model: /^(model|name|run)(_?name|_?id)?$/i,
  family: /famil/i,
  seed: /seed/i,
};

/**
 * Reads a file's columns and first rows (DuckDB, as every reader does) and suggests which column
 * fills each canonical field: the canonical name (any case) first, then a column that looks like it.
 * A column is suggested for one field at most.
 * @throws InputError as the readers do for unreadable files
 */
export async function inspectFile(path: string, format?: string): Promise<FileColumns> {
  const f = detectFormat(path, format);
  // Columns and a preview need the first lines only: a large CSV, TSV or JSONL is read from a copy
  // of its first megabyte (cut at a line end), so inspecting costs no second full read.
  const partial = f !== "parquet" && f !== "json" && statSync(path).size > PREFIX_BYTES;
  let dir: string | undefined;
  let read = path;
  if (partial) {
    const text = readPrefix(path, PREFIX_BYTES);
    dir = mkdtempSync(join(tmpdir(), "scaleladder-inspect-"));
    read = join(dir, basename(path));
    writeFileSync(read, text.slice(0, text.lastIndexOf("\n") + 1));
  }
  const db = await openMemoryDb();
  try {
    const src = await readSource(db.conn, read, "sl_inspect", f);
    const sample = await rows(db.conn, "SELECT * FROM sl_inspect ORDER BY rowid LIMIT 5");
    const preview = sample.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? "" : String(v)])),
    );
    return {
      format: src.format,
      rows: partial ? null : src.rows,
      columns: src.columns,
      preview,
      suggested: suggestMapping(src.columns),
    };
  } finally {
    db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The suggested column per field (see {@link inspectFile}). */
export function suggestMapping(columns: readonly string[]): Partial<Record<MappableField, string>> {
  const out: Partial<Record<MappableField, string>> = {};
  const used = new Set<string>();
  const take = (f: MappableField, c: string | undefined) => {
    if (c === undefined || used.has(c) || out[f] !== undefined) return;
    out[f] = c;
    used.add(c);
  };
  for (const f of MAPPABLE_FIELDS)
    take(
      f,
      columns.find((c) => c.toLowerCase() === f),
    );
  for (const f of MAPPABLE_FIELDS) {
    const re = LOOKS_LIKE[f] ?? ALSO[f];
    if (re)
      take(
        f,
        columns.find((c) => !used.has(c) && re.test(c)),
      );
  }
  return out;
}
