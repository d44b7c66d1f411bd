import { readdir, readFile } from "node:fs/promises";
import { closest, InputError } from "../../errors.js";
import { parseDelimited } from "../csv.js";

/** Hint for a dataset file that is not where the adapter expects it. */
const MISSING_HINT = "point `root` at a copy of ../shared/data, or run scaleladder corpus download";

/**
 * Reads a dataset file as text.
 * @throws InputError naming the file when it is absent or unreadable
 */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `cannot read file (${code})`, {
      file: path,
      hint: MISSING_HINT,
    });
  }
}

/**
 * Lists a dataset folder's file names, sorted so adapters are deterministic.
 * @throws InputError when the folder is absent
 */
export async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch {
    throw new InputError("no such folder", { file: path, hint: MISSING_HINT });
  }
}

/**
 * Parses a JSON dataset file.
 * @throws InputError naming the file when it is not JSON
 */
export async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, {
      file: path,
      hint: "the file may be truncated; download it again",
    });
  }
}

/** A parsed CSV file with typed, located access to its cells. */
export interface CsvFile {
  readonly file: string;
  readonly length: number;
  /** 1-based line of row r. */
  line(r: number): number;
  /** Raw (trimmed) text of a cell. */
  text(r: number, column: string): string;
  /** A cell as a finite number; `allowEmpty` returns NaN for an empty cell instead of throwing. */
  number(r: number, column: string, allowEmpty?: boolean): number;
  has(column: string): boolean;
}

/**
 * Reads a CSV dataset file and checks that the named columns exist.
 * @throws InputError listing the columns found, with the closest name, when one is missing
 */
export async function readCsv(path: string, required: readonly string[]): Promise<CsvFile> {
  const d = parseDelimited(await readText(path), path);
  const index = new Map(d.header.map((h, i) => [h, i]));
  for (const name of required) {
    if (!index.has(name)) {
      const near = closest(name, d.header);
      throw new InputError(`missing column "${name}" (found: ${d.header.join(", ")})`, {
        file: path,
        line: 1,
        hint: near
          ? `did you mean "${near}"? the file may be another version`
          : "check the file version",
      });
    }
  }
  const col = (name: string) => index.get(name) ?? -1;
  return {
    file: path,
    length: d.rows.length,
    line: (r) => d.lines[r],
    has: (name) => index.has(name),
    text: (r, name) => (col(name) >= 0 ? d.rows[r][col(name)].trim() : ""),
    number(r, name, allowEmpty = false) {
      const c = col(name);
      const raw = c >= 0 ? d.rows[r][c].trim() : "";
      if (raw === "" && allowEmpty) return Number.NaN;
      const v = raw === "" ? Number.NaN : Number(raw);
      if (!Number.isFinite(v)) {
        throw new InputError(`${name} is not a finite number (${JSON.stringify(raw)})`, {
          file: path,
          line: d.lines[r],
          column: c + 1,
          hint: "the file may be damaged; download it again",
        });
      }
      return v;
    },
  };
}
