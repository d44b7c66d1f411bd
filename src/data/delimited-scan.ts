import { InputError } from "../errors.js";
import { CHUNK_BYTES, forEachChunk } from "./chunks.js";

/** What a streaming pass over a delimited file found. */
export interface DelimitedScan {
  /** 1-based start line of each non-blank record, header included. */
  readonly recordLines: number[];
}

/** Options of {@link scanDelimited}; `chunkBytes` is for tests of chunk boundaries. */
export interface DelimitedScanOptions {
  /** Throw at the first ragged row, unterminated quote or change of line ending. */
  check?: boolean;
  /** Collect each record's start line (for error locations). */
  recordLines?: boolean;
  chunkBytes?: number;
}

/**
 * One streaming pass over a CSV or TSV file with the reader's rules (RFC 4180 quotes open only at
 * the start of a cell, blank lines skipped), so files of any size get exact line numbers without
 * ever being one string. With `check`, the first ragged row, unterminated quoted cell or switch
 * between LF and CRLF line endings is an InputError at its line.
 */
export function scanDelimited(
  path: string,
  delimiter: string,
  o: DelimitedScanOptions = {},
): DelimitedScan {
  const d = delimiter.charCodeAt(0);
  const recordLines: number[] = [];
  let line = 1;
  let start = 1;
  let inQuotes = false;
  let quoteAt = 0;
  let pendingQuote = false; // a '"' inside quotes, as the last byte of a chunk
  let pendingCr = false; // a '\r' as the last byte of a chunk
  let cellBlank = true;
  let empty = true;
  let cells = 1;
  let header = -1;
  let ending: "LF" | "CRLF" | "CR" | undefined;
  let first = true;
  const fail = (reason: string, at: number, hint: string): never => {
    throw new InputError(reason, { file: path, line: at, hint });
  };
  const endRecord = (kind: "LF" | "CRLF" | "CR" | "EOF") => {
    if (o.check && kind !== "EOF") {
      ending ??= kind;
      if (kind !== ending)
        fail(
          `this line ends with ${kind} but the lines before end with ${ending}`,
          line,
          "save the file with one kind of line ending (e.g. dos2unix)",
        );
    }
    if (!empty) {
      if (o.recordLines) recordLines.push(start);
      if (o.check) {
        if (header < 0) header = cells;
        else if (cells !== header)
          fail(
            `expected ${header} cells as in the header, found ${cells}`,
            start,
            `check for a missing or extra "${delimiter === "\t" ? "\\t" : delimiter}"`,
          );
      }
    }
    line++;
    start = line;
    empty = true;
    cellBlank = true;
    cells = 1;
  };
  forEachChunk(
    path,
    (buf, n) => {
      let i = 0;
      if (first) {
        first = false;
        if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3; // UTF-8 BOM
      }
      if (pendingCr) {
        pendingCr = false;
        if (buf[0] === 10) {
          i = 1;
          endRecord("CRLF");
        } else endRecord("CR");
      }
      if (pendingQuote) {
        pendingQuote = false;
        if (buf[0] === 34)
          i = 1; // an escaped quote
        else inQuotes = false;
      }
      for (; i < n; i++) {
        const c = buf[i];
        if (inQuotes) {
          if (c === 34) {
            if (i + 1 === n) pendingQuote = true;
            else if (buf[i + 1] === 34) i++;
            else inQuotes = false;
          } else if (c === 10) line++;
        } else if (c === 34 && cellBlank) {
          inQuotes = true;
          quoteAt = line;
          empty = false;
          cellBlank = false;
        } else if (c === 10) endRecord("LF");
        else if (c === 13) {
          if (i + 1 === n) pendingCr = true;
          else if (buf[i + 1] === 10) {
            i++;
            endRecord("CRLF");
          } else endRecord("CR");
        } else if (c === d) {
          cells++;
          cellBlank = true;
          empty = false;
        } else if (c !== 32 && c !== 9) {
          cellBlank = false;
          empty = false;
        }
      }
    },
    o.chunkBytes ?? CHUNK_BYTES,
  );
  if (pendingCr) endRecord("CR");
  if (inQuotes && !pendingQuote && o.check)
    fail("unterminated quoted cell", quoteAt, 'close the cell with "');
  endRecord("EOF");
  return { recordLines };
}
