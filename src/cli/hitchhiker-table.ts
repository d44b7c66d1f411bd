import { existsSync } from "node:fs";
import { join } from "node:path";
import { hitchhikerTable } from "../analysis/families.js";
import { loadCorpus } from "../data/corpus/index.js";
import { pythiaAdapter } from "../data/corpus/pythia.js";
import type { RunTable } from "../data/types.js";

/** The corpus dataset the Hitchhiker meta-analysis runs on by default. */
export const HITCHHIKER_CORPUS = "hitchhiker-colpret";

/**
 * Reads the Hitchhiker families from a corpus root: ColPret's, plus the two Pythia families rebuilt
 * from pythia-evals when that folder is beside it (perf = log2 of zero-shot LAMBADA perplexity;
 * `analysis/families.ts` says why the transform is not in the adapter). Without pythia-evals the
 * table is ColPret's alone, as before.
 * @throws InputError when hitchhiker-colpret is absent, and from the adapters
 */
export async function loadHitchhiker(root: string): Promise<RunTable> {
  const { table } = await loadCorpus(root, [HITCHHIKER_CORPUS]);
  const dir = join(root, pythiaAdapter.name);
  return hitchhikerTable(table, existsSync(dir) ? await pythiaAdapter.load(dir) : undefined);
}
