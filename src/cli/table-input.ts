import { loadCorpus } from "../data/corpus/index.js";
import { resolveCorpusRoot } from "../data/download.js";
import { builtinLadder, LADDER_FAMILY } from "../data/simulate/ladder.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { numberFlag } from "./args.js";
import { bool, type Flags, type FlagValues, flagHelp, str } from "./flags.js";
import { HITCHHIKER_CORPUS, loadHitchhiker } from "./hitchhiker-table.js";
import type { Io } from "./io.js";
import { FILES_NOTE, RUNS_FLAGS, readRuns } from "./runs-input.js";

/** Flags of commands that read a whole table: a FILE, a corpus dataset, or the built-in ladder. */
export const TABLE_FLAGS = {
  corpus: str(
    "NAME",
    `a corpus dataset read in place, e.g. hitchhiker-colpret (which also brings
the Pythia families from pythia-evals, perf = log2 LAMBADA perplexity)`,
  ),
  from: str(
    "DIR",
    `folder holding the corpus datasets (default: $SCALELADDER_SHARED_DATA,
../shared/data if present, else the download cache)`,
  ),
  builtin: bool(`the built-in SIMULATED ladder (family ${LADDER_FAMILY}; early cut
scaled to 2.5e8 tokens unless --min-tokens is given)`),
  "ladder-seed": str("S", "seed of the built-in ladder (default 0)"),
  ...RUNS_FLAGS,
} as const satisfies Flags;

export const TABLE_HELP = `  FILE                runs file (CSV, TSV, JSON, JSONL, Parquet), or instead:
${flagHelp(TABLE_FLAGS)}
${FILES_NOTE}`;

/**
 * The early cut used on the built-in ladder. The Hitchhiker's Guide drops checkpoints with ≤ 10B
 * tokens, about the first 3% of its 300B-token runs, where loss is noisy and far from the law. The
 * simulated small runs see only 1.25–37.5B tokens, so a 10B cut would leave three sizes; the cut is
 * scaled to the ladder instead: 2.5e8 tokens, the first 20% of the smallest run and under 1% of the
 * largest.
 */
export const LADDER_MIN_TOKENS = 2.5e8;

/** A loaded table and what it is, for labels (`simulated` for the built-in ladder). */
export interface LoadedTable {
  readonly table: RunTable;
  readonly label?: string;
  readonly defaultFamily?: string;
  /** The early cut to use when --min-tokens is not given (the built-in ladder's scaled cut). */
  readonly defaultMinTokens?: number;
}

/**
 * Reads the table a command was pointed at.
 * @throws InputError for no source or several, and from the loaders
 */
export async function readTable(
  values: FlagValues<typeof TABLE_FLAGS>,
  positionals: string[],
  command: string,
  io?: Io,
): Promise<LoadedTable> {
  const corpus = values.corpus;
  const stored = positionals.length > 0 || values.db !== undefined || values.manifest !== undefined;
  const given = [stored, corpus !== undefined, values.builtin === true].filter(Boolean).length;
  if (given > 1) {
    throw new InputError("give one of FILE, --db, --corpus NAME or --builtin", {
      field: `scaleladder ${command}`,
    });
  }
  if (values.builtin || corpus !== undefined) {
    // Flags that read a file would be ignored here: refuse them instead.
    const source = values.builtin ? "--builtin" : "--corpus";
    const idle = (Object.keys(RUNS_FLAGS) as (keyof typeof RUNS_FLAGS)[]).find(
      (k) => k !== "metric" && k !== "db" && values[k] !== undefined && values[k] !== false,
    );
    if (idle) {
      throw new InputError(`--${idle} does nothing with ${source}`, {
        field: `--${idle}`,
        hint: `it applies to a FILE or --db; drop it, or export the table and filter that`,
      });
    }
  }
  if (values.builtin) {
    const seed = numberFlag(values, "ladder-seed", { integer: true, min: 0 }) ?? 0;
    return {
      table: builtinLadder(seed),
      label: "simulated",
      defaultFamily: LADDER_FAMILY,
      defaultMinTokens: LADDER_MIN_TOKENS,
    };
  }
  if (corpus !== undefined) {
    const root = resolveCorpusRoot(values.from);
    if (corpus === HITCHHIKER_CORPUS) return { table: await loadHitchhiker(root) };
    const { table } = await loadCorpus(root, [corpus]);
    return { table };
  }
  if (!stored) {
    throw new InputError("no input given", {
      field: `scaleladder ${command}`,
      hint: `scaleladder ${command} runs.csv --family F, or --corpus hitchhiker-colpret, or --builtin`,
    });
  }
  return { table: await readRuns(values, positionals, command, io, undefined, true) };
}
