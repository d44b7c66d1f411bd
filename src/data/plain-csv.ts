import { isAscii, isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { InputError } from "../errors.js";
import { POW10 } from "./cell-number.js";
import { type ResolvedColumns, resolveColumns } from "./columns.js";
import { detectFormat } from "./formats.js";
import { readHeader } from "./header.js";
import { isBlank, RowBuilder, type Rows, tableOf } from "./plain-rows.js";
import type { LoadOptions } from "./stage.js";
import type { RunTable } from "./types.js";
import { compileWhere, WhereUnsure } from "./where-eval.js";

/**
 * Reads a clean CSV or TSV file into the canonical table in JavaScript: one pass over the bytes,
 * numbers straight into typed arrays, each distinct text decoded once. A command on a few hundred
 * rows then never loads DuckDB, and a 2M-row log is read in well under a second.
 *
 * It returns exactly what the DuckDB route (`stageFile` + `fetchTable`) returns for such a file, and
 * `undefined` for anything it is not certain of: quotes, CR line ends, blank or ragged lines, bytes
 * that are not UTF-8, padded or unreadable cells, empty required cells, a `where` filter it cannot
 * surely evaluate as DuckDB does (where-eval.ts), any problem the row checks would report, any unit
 * warning. The DuckDB route then reads the file and gives its messages, so every message still has
 * one source.
 */
export function readPlainCsv(
  path: string,
  o: LoadOptions,
  chunkBytes = 1 << 23,
): RunTable | undefined {
  const file = plainFile(path, o);
  return file === undefined ? undefined : readWhole(file, o, chunkBytes);
}

/** The table of a whole file in one pass of this thread, or undefined where the reader declines. */
export function readWhole(
  file: PlainFile,
  o: LoadOptions,
  chunkBytes = 1 << 23,
): RunTable | undefined {
  const rows = readRows(file, o, 0, Number.POSITIVE_INFINITY, file.size, chunkBytes);
  return rows === undefined ? undefined : tableOf(rows, file.path, file.res);
}

/**
 * The row filter of `o.where` (compiled in each thread that reads: a function does not cross to a
 * worker); undefined when there is none, null when it cannot surely be evaluated as DuckDB does.
 */
function filterOf(o: LoadOptions): ReturnType<typeof compileWhere> | null {
  if (o.where === undefined || o.where.trim() === "") return undefined;
  return compileWhere(o.where) ?? null;
}

/** A file the reader may read: its size, delimiter, header and columns. */
export interface PlainFile {
  readonly path: string;
  readonly size: number;
  /** The delimiter byte. */
  readonly delim: number;
  readonly header: string[];
  readonly res: ResolvedColumns;
}

/** The file's layout, or undefined when the reader declines it before its rows. */
export function plainFile(path: string, o: LoadOptions): PlainFile | undefined {
  // A filter is applied here only where it surely means what it means to DuckDB (where-eval.ts).
  if (filterOf(o) === null) return undefined;
  // One plain file as named: patterns, standard input, pipes, compressed files and manifests (or
  // values fixed from outside the file) are the DuckDB route's.
  if (o.manifest !== undefined || o.fixed !== undefined) return undefined;
  let format: string;
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    size = st.size;
    format = detectFormat(path, o.format);
  } catch {
    return undefined;
  }
  if (format !== "csv" && format !== "tsv") return undefined;
  try {
    const header = readHeader(path, format === "tsv" ? "\t" : ",");
    return {
      path,
      size,
      delim: format === "tsv" ? 9 : 44,
      header,
      res: resolveColumns(header, o, path),
    };
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

/**
 * The rows of the file's bytes `from … to` (`from` is 0, where the header is read, or just after a
 * newline; `to` is Infinity, the end of the file however it has grown, or just after a newline),
 * with room for the rows of `sizeHint` bytes; undefined at the first thing the reader declines.
 */
export function readRows(
  file: PlainFile,
  o: LoadOptions,
  from: number,
  to: number,
  sizeHint: number,
  chunkBytes = 1 << 23,
): Rows | undefined {
  const where = filterOf(o);
  if (where === null) return undefined;
  const rows = new RowBuilder(file.header, file.res, o, where);
  const fd = openSync(file.path, "r");
  try {
    const width = file.header.length;
    return scan(fd, from, to, sizeHint, width, file.delim, rows, chunkBytes)
      ? rows.rows()
      : undefined;
  } catch (e) {
    if (e instanceof WhereUnsure) return undefined;
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** Feeds each record of bytes `from … to` (see readRows) to `rows`; false at the first thing it declines. */
function scan(
  fd: number,
  from: number,
  to: number,
  sizeHint: number,
  width: number,
  delim: number,
  rows: RowBuilder,
  chunkBytes: number,
): boolean {
  // No bigger than the file: a fresh 8 MiB buffer costs a small file more than reading it (page
  // faults, and the garbage collector counts it as external memory).
  let buf = Buffer.allocUnsafe(Math.max(1, Math.min(chunkBytes, sizeHint + 1)));
  let have = 0;
  let pos = from;
  let first = true;
  let header = from === 0;
  const starts = new Int32Array(width + 1);
  for (;;) {
    if (have === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
    }
    const got = pos < to ? readSync(fd, buf, have, Math.min(buf.length - have, to - pos), pos) : 0;
    pos += got;
    const end = have + got;
    const eof = got === 0;
    let at = 0;
    if (first) {
      if (header && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) at = 3;
      first = false;
      // Room for the rows at the bytes per line of the first MiB, so the columns rarely grow.
      const sample = Math.min(end, 1 << 20);
      let lines = 0;
      for (let i = at; i < sample; i++) if (buf[i] === 10) lines++;
      if (lines > 1) rows.reserve(Math.ceil((sizeHint / sample) * lines * 1.05));
    }
    // Complete lines only; at the end of the range the last line may lack its newline.
    let last = end > 0 ? buf.lastIndexOf(10, end - 1) : -1;
    if (eof) last = end;
    if (last >= at) {
      // A native pass (SIMD) checks the encoding; quotes, CRs and NULs are declined in the split.
      const text = buf.subarray(at, last);
      if (!isAscii(text) && !isUtf8(text)) return false;
      if (header) {
        // The header is the first line (readHeader has parsed it); blank first lines go to DuckDB.
        let nl = buf.indexOf(10, at);
        if (nl < 0 || nl > last) nl = last;
        if (nl === at || isBlank(buf[at])) return false;
        const line = buf.subarray(at, nl);
        if (line.indexOf(34) >= 0 || line.indexOf(13) >= 0 || line.indexOf(0) >= 0) return false;
        header = false;
        at = nl + 1;
      }
      // At the end of the file the last line may lack its newline: one is put after it (the buffer
      // always has room: it grows before a read that could fill it). A lone newline before the end
      // is a blank line, which the split declines (at a chunk's start it was once skipped: a blank
      // last line read in after a chunk boundary passed).
      if (eof) buf[end] = 10;
      if ((at < last || !eof) && !split(buf, at, last, delim, width, starts, rows)) return false;
      at = last + 1;
    }
    if (eof) return !header;
    have = end - Math.min(at, end);
    buf.copy(buf, 0, end - have, end);
  }
}

/**
 * Splits the records of `buf[from … to]` (`buf[to]` is the last record's newline) and adds each to
 * `rows`; false at the first thing it declines.
 *
 * One pass over the bytes: cell starts at each delimiter, a record at each newline, and the value
 * of each plain number as its digits go by. A cell of 1 to 15 digits with at most one `.`, followed
 * by a digit, is, as `readNumber` (cell-number.ts) reads it, the integer of its digits (exact below
 * 2^53) divided by an exact power of ten: one correctly rounded IEEE division. Its value goes to
 * `rows.values[j]` with `rows.plain[j] = 1`; every other cell (signs, exponents, suffixes, more
 * digits, text) has `plain[j] = 0` and is read from its bytes, so the doubles are the same.
 */
function split(
  buf: Buffer,
  from: number,
  to: number,
  delim: number,
  width: number,
  starts: Int32Array,
  rows: RowBuilder,
): boolean {
  const { values, plain } = rows;
  // The cell being split: its digits as an integer, how many, how many came before the `.` (-1:
  // none yet) and whether anything but digits and one `.` was seen.
  let mant = 0;
  let digits = 0;
  let dot = -1;
  let other = false;
  let k = 0;
  starts[0] = from;
  // Every record, the last one too, ends at a newline byte: one path for all of them, so the
  // optimized loop never meets code it has no type feedback for (that deoptimized it every chunk).
  for (let i = from; i <= to; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
    } else if (c === delim || c === 10) {
      if (!other && digits > 0 && digits <= 15 && dot !== digits) {
        values[k] = dot < 0 ? mant : mant / POW10[digits - dot];
        plain[k] = 1;
      } else plain[k] = 0;
      mant = 0;
      digits = 0;
      dot = -1;
      other = false;
      if (c === delim) {
        if (++k >= width) return false;
        starts[k] = i + 1;
      } else {
        if (k !== width - 1) return false;
        starts[width] = i + 1;
        if (!rows.add(buf, starts)) return false;
        k = 0;
        starts[0] = i + 1;
      }
    } else if (c === 46 && dot < 0) dot = digits;
    else if (c === 34 || c === 13 || c === 0) return false;
    else other = true;
  }
  return true;
}
