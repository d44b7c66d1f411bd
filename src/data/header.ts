import { statSync } from "node:fs";
import { InputError } from "../errors.js";
import { parseDelimited } from "./csv.js";
import { readPrefix } from "./formats.js";

/** The first record of a delimited file, with empty names filled and duplicates refused. */
export function readHeader(file: string, delim: string): string[] {
  // Read more until the first record ends: a header of 200,000 names is longer than 1 MiB.
  const size = statSync(file).size;
  let text = "";
  let end = 0;
  for (let limit = 1 << 20; ; limit *= 4) {
    text = readPrefix(file, limit).replace(/^\uFEFF/, "");
    end = firstRecordEnd(text);
    if (end < text.length || limit >= size) break;
    if (limit >= MAX_HEADER_BYTES)
      throw new InputError(`the header line is longer than ${MAX_HEADER_BYTES >> 20} MiB`, {
        file,
        line: 1,
        hint: "is this a delimited file with one header line? check the format and line endings",
      });
  }
  const header = parseDelimited(text.slice(0, end), file, delim).header.map(
    (h, i) => h || `column${i + 1}`,
  );
  if (header.length > MAX_COLUMNS)
    // DuckDB needs about 100 KB per column to read a file: 200,000 columns take 19 GB.
    throw new InputError(`${header.length} columns; at most ${MAX_COLUMNS} are read`, {
      file,
      line: 1,
      hint: "keep the columns of the runs (params, tokens, loss, …) and drop the rest",
    });
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    const j = seen.get(h.toLowerCase());
    if (j !== undefined) {
      throw new InputError(`duplicate column name "${h}" (columns ${j + 1} and ${i + 1})`, {
        file,
        line: 1,
        column: i + 1,
        hint: "rename one of them",
      });
    }
    seen.set(h.toLowerCase(), i);
  });
  return header;
}

/** Most columns a delimited file may have. */
export const MAX_COLUMNS = 2048;

/** Longest header line read. */
const MAX_HEADER_BYTES = 256 << 20;

/** Offset just past the first non-blank record (quote-aware). */
function firstRecordEnd(text: string): number {
  let inQuotes = false;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === "\n" || c === "\r")) {
      if (any) return i;
    } else if (c.trim() !== "") any = true;
  }
  return text.length;
}
