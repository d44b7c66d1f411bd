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
    const near = closest(name, names);
    throw new InputError(`unknown dataset "${name}"`, {
      field: "scaleladder corpus",
      hint: near ? `did you mean "${near}"?` : `expected one of ${names.join(", ")}`,
    });
  }
  return a;
}

/** What {@link loadCorpus} read: the table, and per dataset its row count or why it was skipped. */
export interface LoadedCorpus {
  readonly table: RunTable;
  readonly datasets: readonly { name: string; rows: number; skipped?: string }[];
}

/**
 * Reads datasets from `root` (one folder per dataset, as ../shared/data or the download cache) into
 * one run table. Named datasets must be present; without names, every dataset whose folder exists is
 * read and the others are reported as skipped.
 * @throws InputError when a named dataset is absent, when none is found, or from an adapter
 */
export async function loadCorpus(root: string, names: readonly string[] = []): Promise<LoadedCorpus> {
  const adapters = names.length > 0 ? names.map(corpusAdapter) : builtinCorpus;
  const tables: RunTable[] = [];
  const datasets: { name: string; rows: number; skipped?: string }[] = [];
  for (const a of adapters) {
    const dir = join(root, a.name);
    if (!existsSync(dir)) {
      if (names.length > 0) {
        throw new InputError("no such dataset folder", {
          file: dir,
          hint: `run scaleladder corpus download ${a.name}, or point --from at a copy of ../shared/data`,
        });
      }
      datasets.push({ name: a.name, rows: 0, skipped: `no folder ${dir}` });
      continue;
    }
    const t = await a.load(dir);
    tables.push(t);
    datasets.push({ name: a.name, rows: t.length });
  }
  if (tables.length === 0) {
    throw new InputError("no corpus dataset found", {
      file: root,
      hint: "run scaleladder corpus download, or point --from at a copy of ../shared/data",
    });
  }
  return { table: concatTables(tables, `corpus:${root}`), datasets };
}
