import { InputError } from "../errors.js";
import { CHUNK_BYTES, forEachChunk, Position } from "./chunks.js";

/** Deepest nesting accepted: a run record is flat, an array of them is depth 2. */
export const MAX_JSON_DEPTH = 16;

/** Options of {@link scanJson}; `chunkBytes` is for tests of chunk boundaries. */
export interface JsonScanOptions {
  maxDepth?: number;
  chunkBytes?: number;
  /** Collect the line where each record starts (only when a problem needs its line). */
  recordLines?: boolean;
}

/**
 * Checks a JSON or JSONL file in one streaming pass before any parser sees it: nesting deeper than
 * {@link MAX_JSON_DEPTH} (which makes parsers take gigabytes or crash), a line break inside a string
 * (an unterminated string, reported where it starts) and trailing commas, each with line and
 * column. Records are the objects at the top level, or inside a top-level array.
 * @returns the 1-based line of each record's start, if asked for
 * @throws InputError naming file:line:column
 */
export function scanJson(path: string, o: JsonScanOptions = {}): number[] {
  const maxDepth = o.maxDepth ?? MAX_JSON_DEPTH;
  const pos = new Position();
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stringAt: [number, number] = [0, 0];
  let commaAt: [number, number] | undefined;
  let recordDepth = -1;
  const fail = (reason: string, at: readonly [number, number], hint: string): never => {
    throw new InputError(reason, { file: path, line: at[0], column: at[1], hint });
  };
  forEachChunk(
    path,
    (buf, n) => {
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        pos.step(b);
        if (inString) {
          if (escaped) escaped = false;
          else if (b === 0x5c) escaped = true;
          else if (b === 0x22) inString = false;
          else if (b === 10 || b === 13)
            fail(
              "unterminated string (the line ends inside it)",
              stringAt,
              'close the string with "',
            );
          continue;
        }
        if (b === 0x20 || b === 9 || b === 10 || b === 13) continue;
        if (b === 0x5d || b === 0x7d) {
          if (commaAt)
            fail(
              `trailing comma before "${String.fromCharCode(b)}"`,
              commaAt,
              "remove the comma after the last item",
            );
          depth--;
        }
        commaAt = b === 0x2c ? [pos.line, pos.column] : undefined;
        if (b === 0x22) {
          inString = true;
          stringAt = [pos.line, pos.column];
        } else if (b === 0x5b || b === 0x7b) {
          if (recordDepth < 0) recordDepth = b === 0x5b ? 1 : 0;
          if (depth === recordDepth && o.recordLines) lines.push(pos.line);
          if (++depth > maxDepth)
            fail(
              `JSON nested deeper than ${maxDepth} levels`,
              [pos.line, pos.column],
              'a run is one flat object of numbers and text, e.g. {"params": 1e8, "tokens": 2e9, "loss": 3.1}',
            );
        }
      }
    },
    o.chunkBytes ?? CHUNK_BYTES,
  );
  if (inString)
    fail("unterminated string (the file ends inside it)", stringAt, 'close the string with "');
  return lines;
}
