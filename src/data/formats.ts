import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { InputError } from "../errors.js";

/** The file formats runs can be read from. */
export type Format = "csv" | "tsv" | "json" | "jsonl" | "parquet";

const BY_EXTENSION: Record<string, Format> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  jsonl: "jsonl",
  ndjson: "jsonl",
  parquet: "parquet",
  pq: "parquet",
};

const KNOWN = "csv, tsv, json, jsonl or parquet";

/**
 * Picks the format from `--format` or the file extension, then checks the first and last bytes
 * agree (a Parquet file named .csv, a gzip file, a truncated Parquet file), so the user gets one
 * clear line instead of a parser's confusion.
 * @throws InputError for unknown formats, missing or empty files, and contents of the wrong type
 */
export function detectFormat(path: string, format?: string): Format {
  const name = (format ?? basename(path).split(".").slice(1).pop() ?? "").toLowerCase();
  const f = BY_EXTENSION[name];
  if (!f) {
    throw new InputError(
      format
        ? `unknown format "${format}"`
        : `unsupported file type "${name ? `.${name}` : basename(path)}"`,
      {
        file: format ? undefined : path,
        field: format ? "format" : undefined,
        hint:
          name === "duckdb"
            ? "a store made by scaleladder import is opened as `db`, not read as a file"
            : `give a ${KNOWN} file, or name the format with \`format\` csv`,
      },
    );
  }
  checkContents(path, f);
  return f;
}

function checkContents(path: string, f: Format): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory())
      throw new InputError("is a directory, not a file", {
        file: path,
        hint: "give a file of runs",
      });
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `cannot read file (${code})`, {
      file: path,
      hint: code === "ENOENT" ? "check the path" : "check permissions",
    });
  }
  const head = readBytes(path, 0, Math.min(size, 8192));
  const tail = readBytes(path, Math.max(0, size - 4), Math.min(size, 4));
  const looks = sniff(head);
  if (f === "parquet") {
    if (size === 0)
      throw new InputError("file is empty", { file: path, hint: "expected a Parquet file" });
    if (looks !== "parquet") {
      throw new InputError(`not a Parquet file (it looks like ${looks})`, {
        file: path,
        hint: `name the real format with \`format\`, or convert it to Parquet`,
      });
    }
    if (size < 12 || tail.toString("latin1") !== "PAR1") {
      throw new InputError("truncated Parquet file (its footer is missing)", {
        file: path,
        hint: "the copy is incomplete; copy or export it again",
      });
    }
    return;
  }
  if (looks === "empty")
    throw new InputError("file is empty", {
      file: path,
      hint:
        f === "csv" || f === "tsv"
          ? "expected a header line such as params,tokens,loss"
          : 'expected JSON records such as {"params": 1e8, "tokens": 2e9, "loss": 3.1}',
    });
  if (looks !== "text") {
    throw new InputError(`not a ${f.toUpperCase()} text file (it looks like ${looks})`, {
      file: path,
      hint:
        looks === "parquet"
          ? "pass `format` parquet or rename it to .parquet"
          : looks === "gzip" || looks === "zip"
            ? "decompress it first"
            : `give a ${KNOWN} file`,
    });
  }
  const first = head
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart()[0];
  if ((f === "csv" || f === "tsv") && (first === "{" || first === "[")) {
    throw new InputError(`looks like JSON, not ${f.toUpperCase()}`, {
      file: path,
      line: 1,
      hint: "pass `format` json (or jsonl), or rename the file",
    });
  }
  if ((f === "json" || f === "jsonl") && first !== "{" && first !== "[") {
    throw new InputError(`not JSON (starts with ${JSON.stringify(first)})`, {
      file: path,
      line: 1,
      hint: 'expected objects such as {"params": 1e8, …}; for CSV pass `format` csv',
    });
  }
}

/** What the first bytes of a file look like. */
function sniff(b: Buffer): "empty" | "text" | "parquet" | "gzip" | "zip" | "binary data" {
  if (b.length >= 4 && b.toString("latin1", 0, 4) === "PAR1") return "parquet";
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return "gzip";
  if (b.length >= 4 && b.toString("latin1", 0, 4) === "PK\u0003\u0004") return "zip";
  if (b.includes(0)) return "binary data";
  if (
    b
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim() === ""
  )
    return "empty";
  return "text";
}

function readBytes(path: string, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, length, position);
  } finally {
    closeSync(fd);
  }
  return buf;
}

/** Reads the first `limit` bytes of a file as text (headers, sniffing). */
export function readPrefix(path: string, limit = 1 << 20): string {
  const size = statSync(path).size;
  return readBytes(path, 0, Math.min(size, limit)).toString("utf8");
}
