import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { type ColumnMapping, tableFromDelimited } from "./columns.js";
import { parseDelimited } from "./csv.js";
import type { RunTable } from "./types.js";

/** Options of {@link loadRuns}. */
export interface LoadOptions extends ColumnMapping {
  /** `csv` or `tsv`; defaults to the file extension. */
  format?: string;
}

/**
 * Reads a run file into the canonical table.
 * @throws InputError for unreadable files, unknown formats and bad cells (file:line:column)
 */
export function loadRuns(path: string, options: LoadOptions = {}): RunTable {
  const ext = (options.format ?? path.split(".").pop() ?? "").toLowerCase();
  if (ext !== "csv" && ext !== "tsv") {
    throw new InputError(`unsupported file type ".${ext}"`, {
      file: path,
      hint: "give a .csv or .tsv file, or name the format with --format csv",
    });
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `cannot read file (${code})`, {
      file: path,
      hint: code === "ENOENT" ? "check the path" : "check permissions",
    });
  }
  return tableFromDelimited(parseDelimited(text, path, ext === "tsv" ? "\t" : ","), path, options);
}
