import { readFileSync } from "node:fs";
import type { Format } from "./formats.js";

/**
 * Maps a record's position in a file (0-based, header excluded) to its 1-based line, for error
 * messages. Computed only when there is a problem to report, since it reads the whole file again.
 * Delimited files: records start after the header, blank lines are skipped and quoted cells may
 * span lines, as the reader does. JSONL: one record per non-blank line. Parquet and JSON arrays
 * have no lines, so the "line" is the 1-based record number.
 */
export function lineMapper(path: string, format: Format): (record: number) => number {
  if (format === "parquet" || format === "json") {
    if (format === "json") {
      const text = readFileSync(path, "utf8");
      if (
        text
          .replace(/^\uFEFF/, "")
          .trimStart()
          .startsWith("{")
      )
        return fromArray(nonBlankLines(text));
    }
    return (r) => r + 1;
  }
  const text = readFileSync(path, "utf8");
  const lines =
    format === "jsonl"
      ? nonBlankLines(text)
      : delimitedRecordLines(text, format === "tsv" ? "\t" : ",").slice(1);
  return fromArray(lines);
}

function fromArray(lines: readonly number[]): (r: number) => number {
  return (r) => lines[r] ?? r + 2;
}

/** 1-based lines that hold something other than whitespace. */
export function nonBlankLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (!blank) out.push(line);
      line++;
      blank = true;
    } else if (c !== 13 && c !== 32 && c !== 9 && c !== 0xfeff) blank = false;
  }
  if (!blank) out.push(line);
  return out;
}

/** 1-based start line of each non-blank record of a delimited file, header included (quote-aware). */
export function delimitedRecordLines(text: string, delimiter: string): number[] {
  const out: number[] = [];
  const d = delimiter.charCodeAt(0);
  let line = 1;
  let start = 1;
  let inQuotes = false;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      } else if (c === 10) line++;
    } else if (c === 34) {
      inQuotes = true;
      empty = false;
    } else if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (!empty) out.push(start);
      line++;
      start = line;
      empty = true;
    } else if (c === d || (c !== 32 && c !== 9 && c !== 0xfeff)) empty = false;
  }
  if (!empty) out.push(start);
  return out;
}
