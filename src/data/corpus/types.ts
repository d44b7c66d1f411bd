import type { RunTable } from "../types.js";

/**
 * A public dataset adapter: reads one folder of ../shared/data (or its downloaded copy) into the
 * canonical run table, mapping family names, parameter counts, tokens, seeds and metrics faithfully.
 */
export interface CorpusAdapter {
  /** Folder name under the data root, e.g. `epoch-chinchilla`. */
  readonly name: string;
  /** One line on what it holds. */
  readonly title: string;
  /** Per-family notes on what was mapped and any caveat (e.g. which parameter definition). */
  readonly notes: readonly string[];
  /** Reads the dataset from `dir` (the dataset's own folder). */
  load(dir: string): Promise<RunTable>;
}
