import { existsSync } from "node:fs";
import { join } from "node:path";
import { closest, InputError } from "../../errors.js";
import type { RunTable } from "../types.js";
import { colpretAdapter } from "./colpret.js";
import { epochAdapter } from "./epoch.js";
import { gadreAdapter } from "./gadre.js";
import { misfittingAdapter } from "./misfitting.js";
import { pythiaAdapter } from "./pythia.js";
import { concatTables } from "./rows.js";
import { sldbenchAdapter } from "./sldbench.js";
import type { CorpusAdapter } from "./types.js";

/** Every public dataset scaleladder can read, one adapter per folder of ../shared/data. */
export const builtinCorpus: readonly CorpusAdapter[] = [
  epochAdapter,
  gadreAdapter,
  colpretAdapter,
  misfittingAdapter,
  pythiaAdapter,
  sldbenchAdapter,
];

/**
 * The adapter of a dataset folder name.
 * @throws InputError for an unknown name, suggesting the closest
 */
export function corpusAdapter(name: string): CorpusAdapter {
  const a = builtinCorpus.find((x) => x.name === name);
  if (!a) {
    const names = builtinCorpus.map((x) => x.name);
    // "pythia" is far from "pythia-evals" by edit distance, so also try prefixes.
    const near = closest(name, names) ?? names.find((n) => n.startsWith(name));
    throw new InputError(`unknown dataset "${name}"`, {
      field: "scaleladder corpus",
      hint: near ? `did you mean "${near}"?` : `expected one of ${names.join(", ")}`,
    });
  }
  return a;
}

/** One dataset as {@link loadCorpus} read it: rows and families, or why it was skipped. */
export interface LoadedDataset {
  readonly name: string;
  readonly rows: number;
  readonly families: readonly string[];
  /** Why the dataset was not read: its folder is absent. */
  readonly skipped?: string;
  /** The error message of an adapter that failed (only with `keepGoing`). */
  readonly failed?: string;
  /** The dataset's own rows, for importing it on its own. */
  readonly table?: RunTable;
}

/** What {@link loadCorpus} read: the table, and per dataset what it held. */
export interface LoadedCorpus {
  readonly table: RunTable;
  readonly datasets: readonly LoadedDataset[];
}

/**
 * Reads datasets from `root` (one folder per dataset, as ../shared/data or the download cache) into
 * one run table. Named datasets must be present; without names, every dataset whose folder exists is
 * read and the others are reported as skipped. With `keepGoing`, a dataset whose adapter reports bad
 * input is recorded as failed and the others are still read, so one damaged dataset does not hide
 * the rest.
 * @throws InputError when a named dataset is absent, when nothing could be read, or from an adapter
 */
export async function loadCorpus(
  root: string,
  names: readonly string[] = [],
  options: { keepGoing?: boolean } = {},
): Promise<LoadedCorpus> {
  const adapters = names.length > 0 ? names.map(corpusAdapter) : builtinCorpus;
  const tables: RunTable[] = [];
  const datasets: LoadedDataset[] = [];
  const failures: InputError[] = [];
  for (const a of adapters) {
    const dir = join(root, a.name);
    if (!existsSync(dir)) {
      if (names.length > 0) {
        throw new InputError("no such dataset folder", {
          file: dir,
          hint: `run scaleladder corpus download ${a.name}, or point \`root\` at a copy of ../shared/data`,
        });
      }
      datasets.push({ name: a.name, rows: 0, families: [], skipped: `no folder ${dir}` });
      continue;
    }
    let t: RunTable;
    try {
      t = await a.load(dir);
    } catch (e) {
      if (!(options.keepGoing && e instanceof InputError)) throw e;
      failures.push(e);
      datasets.push({ name: a.name, rows: 0, families: [], failed: e.message });
      continue;
    }
    tables.push(t);
    datasets.push({ name: a.name, rows: t.length, families: [...new Set(t.family)], table: t });
  }
  if (tables.length === 0) {
    if (failures.length > 0) throw failures[0];
    throw new InputError("no corpus dataset found", {
      file: root,
      hint: "run scaleladder corpus download, or point `root` at a copy of ../shared/data",
    });
  }
  return { table: concatTables(tables, `corpus:${root}`), datasets };
}
