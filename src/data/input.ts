import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as zlib from "node:zlib";
import { InputError } from "../errors.js";
import { readPrefix } from "./formats.js";
import { isEventFile, readScalarEvents, scalarsToCsv } from "./tfevents.js";

/**
 * One input as the user named it (`label`) and the regular file it is read from (`path`): the file
 * itself, or a temporary copy for standard input, named pipes and compressed files, so every later
 * step (sniffing, headers, line numbers, DuckDB) reads one plain file.
 */
export interface InputFile {
  readonly path: string;
  readonly label: string;
  /**
   * Files made from binary logs (TensorBoard) have no lines of their own: the training step of
   * each line of the copy, so messages can say "step 1200" instead.
   */
  readonly stepOfLine?: (line: number) => number | undefined;
}

/**
 * A path for DuckDB's file readers, which treat `*`, `?` and `[` as a glob: made absolute (so `~`
 * is not the home folder) with each such character inside a one-character class.
 */
export function duckPath(path: string): string {
  return resolve(path).replace(/[*?[]/g, (c) => `[${c}]`);
}

/** Compressions read directly, by file extension. */
const COMPRESSED: Record<string, "gzip" | "zstd"> = { gz: "gzip", zst: "zstd" };

/**
 * Opens the inputs: regular files are used in place; standard input (`-`), named pipes and other
 * streams, and `.gz`/`.zst` files are copied (decompressed) to a temporary folder first, since a
 * stream can be read only once and DuckDB and the checks read a file several times. `stdin`
 * overrides `process.stdin` (tests). Call `close()` when done; it removes the copies.
 * @throws InputError for missing, unreadable or directory paths
 */
export async function openInputs(
  paths: readonly string[],
  stdin: Readable = process.stdin,
): Promise<{ files: InputFile[]; close(): void }> {
  let tmp: string | undefined;
  const dir = () => {
    tmp ??= mkdtempSync(join(tmpdir(), "scaleladder-input-"));
    return tmp;
  };
  const close = () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  const files: InputFile[] = [];
  try {
    for (const [i, p] of paths.entries()) {
      const label = p === "-" ? "stdin" : p;
      const name = basename(p === "-" ? "stdin" : p);
      const ext = name.split(".").pop()?.toLowerCase() ?? "";
      const compression = COMPRESSED[ext];
      const plain = compression ? name.slice(0, -ext.length - 1) : name;
      if (p !== "-" && isEventFile(name)) {
        // TensorBoard logs become a wide CSV of their scalars: one row per step, one column per tag.
        checkReadable(p);
        const out = join(dir(), String(i), `${name}.csv`);
        mkdirSync(dirname(out), { recursive: true });
        const events = readScalarEvents(p, label);
        if (events.length === 0) {
          throw new InputError("no scalars in this TensorBoard event file", {
            file: label,
            hint: "log scalars (add_scalar, tf.summary.scalar), or give the run's other event files",
          });
        }
        writeFileSync(out, scalarsToCsv(events));
        // Rows are the distinct steps in order, after the header line.
        const steps = [...new Set(events.map((e) => e.step))].sort((a, b) => a - b);
        files.push({ path: out, label, stepOfLine: (line) => steps[line - 2] });
        continue;
      }
      if (p !== "-") {
        const st = statOf(p);
        if (st.isFile() && !compression) {
          checkReadable(p);
          files.push({ path: p, label });
          continue;
        }
      }
      const out = join(dir(), String(i), plain);
      if (compression === "zstd" && !nodeZstd()) {
        await zstdWithDuckDb(p, out, label);
        files.push({ path: out, label });
        continue;
      }
      const source = p === "-" ? stdin : createReadStream(p);
      await copy(source, out, compression, label);
      files.push({ path: p === "-" ? withSniffedExtension(out) : out, label });
    }
  } catch (e) {
    close();
    throw e;
  }
  return { files, close };
}

function statOf(p: string) {
  try {
    const st = statSync(p);
    if (st.isDirectory()) {
      throw new InputError("is a directory, not a file", {
        file: p,
        hint: `give the files in it, e.g. "${join(p, "*.csv")}"`,
      });
    }
    return st;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fileError(e, p);
  }
}

/** Opening (not only stat-ing) catches permission problems before DuckDB meets them. */
function checkReadable(p: string): void {
  try {
    closeSync(openSync(p, "r"));
  } catch (e) {
    throw fileError(e, p);
  }
}

/** An errno failure on a path as a one-line InputError. */
export function fileError(e: unknown, p: string): InputError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES" || code === "EPERM"
        ? "cannot read file (permission denied)"
        : `cannot read file (${code ?? (e as Error)?.message ?? String(e)})`;
  return new InputError(reason, {
    file: p,
    hint:
      code === "ENOENT"
        ? "check the path"
        : code === "EACCES" || code === "EPERM"
          ? "check the file's permissions (chmod +r)"
          : "check the file",
  });
}

/** zlib's zstd decompressor (Node 22.15 and later), if this Node has one. */
function nodeZstd(): (() => NodeJS.ReadWriteStream) | undefined {
  return (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream })
    .createZstdDecompress;
}

/**
 * Decompresses a .zst text file with DuckDB, whose readers understand zstd, for Node versions
 * without it: read as one text column per physical line (no quoting, blank lines kept) and written
 * back line by line, so line numbers stay those of the original.
 */
async function zstdWithDuckDb(path: string, out: string, label: string): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const { openMemoryDb, sqlString } = await import("./duckdb.js");
  const db = await openMemoryDb();
  const sink = createWriteStream(out);
  try {
    const result = await db.conn.stream(
      `SELECT l FROM read_csv(${sqlString(duckPath(path))}, header = false, columns = {'l': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', auto_detect = false, compression = 'zstd', strict_mode = false)`,
    );
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const lines = chunk.getColumnValues(0).map((v) => (v === null ? "" : String(v)));
      if (!sink.write(`${lines.join("\n")}\n`))
        await new Promise<void>((done) => sink.once("drain", () => done()));
    }
  } catch (e) {
    const { duckReason } = await import("./duckdb.js");
    throw new InputError(`cannot decompress: ${duckReason(e)}`, {
      file: label,
      hint: "the file is not valid zstd-compressed text; check it with zstd -t",
    });
  } finally {
    await new Promise<void>((done) => sink.end(() => done()));
    db.close();
  }
}

async function copy(
  source: Readable,
  out: string,
  compression: "gzip" | "zstd" | undefined,
  label: string,
): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const stages: NodeJS.ReadWriteStream[] = [];
  if (compression === "gzip") stages.push(zlib.createGunzip());
  const zstd = nodeZstd();
  if (compression === "zstd" && zstd) stages.push(zstd());
  try {
    await pipeline([source, ...stages, createWriteStream(out)]);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code ?? "";
    if (compression && !/^E[A-Z]+$/.test(code)) {
      throw new InputError(`cannot decompress: ${(e as Error).message}`, {
        file: label,
        hint: `the file is not valid ${compression}; check it with ${compression === "gzip" ? "gzip -t" : "zstd -t"}`,
      });
    }
    throw fileError(e, label);
  }
}

/**
 * Standard input has no extension: name the copy by its first bytes (Parquet magic, a JSON array,
 * JSON objects one per line, else CSV — TSV when the first line has tabs and no commas).
 */
function withSniffedExtension(path: string): string {
  const head = readPrefix(path, 65536);
  const text = head.replace(/^\uFEFF/, "").trimStart();
  const firstLine = (text.split(/\r?\n/)[0] ?? "").trim();
  const ext = head.startsWith("PAR1")
    ? "parquet"
    : text.startsWith("[")
      ? "json"
      : text.startsWith("{")
        ? firstLine.endsWith("}")
          ? "jsonl"
          : "json"
        : firstLine.includes("\t") && !firstLine.includes(",")
          ? "tsv"
          : "csv";
  const named = `${path}.${ext}`;
  renameSync(path, named);
  return named;
}
