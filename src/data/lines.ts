import { scanDelimited } from "./delimited-scan.js";
import type { Format } from "./formats.js";
import { scanJson } from "./json-scan.js";

/**
 * Maps a record's position in a file (0-based, header excluded) to its 1-based line, for error
 * messages. Computed only when there is a problem to report, since it reads the whole file again
 * (streaming, so any size works). Delimited files: records start after the header, blank lines
 * are skipped and quoted cells may span lines, as the reader does. JSON and JSONL: the line where
 * each record's object opens, inside a top-level array or not. Parquet has no lines, so the
 * "line" is the 1-based record number.
 */
export function lineMapper(path: string, format: Format): (record: number) => number {
  if (format === "parquet") return (r) => r + 1;
  const lines =
    format === "json" || format === "jsonl"
      ? scanJson(path, { recordLines: true })
      : scanDelimited(path, format === "tsv" ? "\t" : ",", { recordLines: true }).recordLines.slice(
          1,
        );
  return (r) => lines[r] ?? r + 2;
}
