import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { closest, InputError } from "../errors.js";
import type { FixedFields } from "./canonical.js";
import { parseDelimited } from "./csv.js";
import { parseSize } from "./size.js";

/** One manifest row: a run file and what it holds when the file does not say. */
export interface ManifestEntry {
  /** The file as written in the manifest, and resolved against the manifest's folder. */
  readonly file: string;
  readonly path: string;
  readonly fixed: FixedFields;
}

const FIELDS = ["file", "model", "params", "family", "seed"] as const;

/**
 * Reads a manifest: a CSV with a `file` column and any of `model`, `params` (`190M` or an exact
 * count), `family` and `seed`, one row per run file (exports with one file per run carry none of
 * these themselves).
 * @throws InputError naming the manifest's line and column for unknown columns or bad sizes
 */
export function readManifest(path: string): ManifestEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? "no such manifest" : `cannot read manifest (${code})`,
      {
        file: path,
        field: "manifest",
        hint: "give a CSV with columns file, model, params, family, seed",
      },
    );
  }
  const t = parseDelimited(text, path, ",");
  const header = t.header.map((h) => h.trim().toLowerCase());
  header.forEach((h, i) => {
    if (!(FIELDS as readonly string[]).includes(h)) {
      const near = closest(h, FIELDS);
      throw new InputError(`unknown manifest column "${t.header[i]}"`, {
        file: path,
        line: 1,
        column: i + 1,
        hint: near ? `did you mean "${near}"?` : `columns: ${FIELDS.join(", ")}`,
      });
    }
  });
  const col = (name: string) => header.indexOf(name);
  if (col("file") < 0) {
    throw new InputError("manifest has no file column", {
      file: path,
      line: 1,
      hint: `columns: ${FIELDS.join(", ")}`,
    });
  }
  const base = dirname(path);
  return t.rows.map((cells, r) => {
    const cell = (name: string) => {
      const i = col(name);
      const v = i < 0 ? "" : cells[i].trim();
      return v === "" ? undefined : v;
    };
    const file = cell("file");
    if (file === undefined) {
      throw new InputError("file is empty", {
        file: path,
        line: t.lines[r],
        column: col("file") + 1,
      });
    }
    const rawParams = cell("params");
    const params = rawParams === undefined ? undefined : parseSize(rawParams);
    if (params !== undefined && !(params > 0)) {
      throw new InputError(`params is not a positive size (${JSON.stringify(rawParams)})`, {
        file: path,
        line: t.lines[r],
        column: col("params") + 1,
        hint: "write 190M, 1.3B or an exact count",
      });
    }
    return {
      file,
      path: resolve(base, file),
      fixed: { model: cell("model"), params, family: cell("family"), seed: cell("seed") },
    };
  });
}

/**
 * The manifest row for a run file: the same path, else the only row with the same file name.
 */
export function manifestFor(
  entries: readonly ManifestEntry[],
  file: string,
): ManifestEntry | undefined {
  const abs = resolve(file);
  const exact = entries.find((e) => e.path === abs);
  if (exact) return exact;
  const byName = entries.filter((e) => basename(e.file) === basename(file));
  return byName.length === 1 ? byName[0] : undefined;
}

/** A run's name from its file: `runs/125M-seed1.csv.gz` → `125M-seed1`. */
export function fileStem(file: string): string {
  let name = basename(file);
  if (/^events\.out\.tfevents\./.test(name)) return basename(dirname(resolve(file)));
  name = name.replace(/\.(gz|zst)$/i, "");
  return name.replace(/\.(csv|tsv|tab|json|jsonl|ndjson|parquet|pq)$/i, "");
}
