import type { RunTable } from "./types.js";

/**
 * What a fit reads, one entry per row: model size N, tokens D, compute C, the observed loss, and
 * optionally unique tokens and each row's run. Defined here, below the laws and the fitter, because
 * the data layer builds it.
 */
export interface FitData {
  /** Model size N (parameters). */
  readonly params: Float64Array;
  /** Tokens seen D. */
  readonly tokens: Float64Array;
  /** Training compute C in FLOPs. */
  readonly flops: Float64Array;
  readonly loss: Float64Array;
  /** Unique tokens U per row (optional; read by data-constrained laws only). */
  readonly uniqueTokens?: Float64Array;
  /** Run (training-run) index per row; rows of one run share it. Used by the bootstrap. */
  readonly run?: Int32Array;
}

/**
 * Selects rows of a run table (by default all) as fit input, numbering runs by (family, model, seed)
 * so the bootstrap resamples whole training runs, never single checkpoints. Unique tokens come
 * along when some selected row has them; a row without them gets U = D (its data seen once), as a
 * data-constrained law reads a table with no such column.
 */
export function toFitData(
  table: RunTable,
  rows?: ArrayLike<number>,
): FitData & { runNames: string[] } {
  const idx = rows ? Int32Array.from(rows) : Int32Array.from({ length: table.length }, (_, i) => i);
  const { run, keys } = numberRuns(table, idx);
  const pick = (a: Float64Array) => {
    const out = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) out[k] = a[idx[k]];
    return out;
  };
  const u = table.uniqueTokens;
  const hasUnique = u !== undefined && idx.some((r) => !Number.isNaN(u[r]));
  return {
    params: pick(table.params),
    tokens: pick(table.tokens),
    flops: pick(table.flops),
    loss: pick(table.value),
    run,
    ...(hasUnique
      ? {
          uniqueTokens: Float64Array.from(idx, (r) =>
            Number.isNaN(u[r]) ? table.tokens[r] : u[r],
          ),
        }
      : {}),
    runNames: keys.map((k) => k.split("\u0000")[1]),
  };
}

/**
 * The Hitchhiker's early cut on checkpoint data: rows of runs with several checkpoints whose tokens
 * are at or below `minTokens` are dropped (early checkpoints sit on the warm-up and high learning
 * rate, off the law); runs with a single row (final-loss-only data, iso-FLOP sweeps) are kept
 * whole. Runs are (family, model, seed), as {@link toFitData} numbers them.
 */
export function earlyCut(table: RunTable, minTokens: number): { rows: number[]; dropped: number } {
  const { run, keys } = numberRuns(table);
  const count = new Array<number>(keys.length).fill(0);
  for (let r = 0; r < table.length; r++) count[run[r]]++;
  const rows: number[] = [];
  for (let r = 0; r < table.length; r++)
    if (count[run[r]] === 1 || table.tokens[r] > minTokens) rows.push(r);
  return { rows, dropped: table.length - rows.length };
}

/**
 * Numbers the runs (family, model, seed) of the rows `idx` (default all) by first appearance, with
 * their keys. A log lists a run's checkpoints together, so a key is built only when the run changes.
 */
function numberRuns(table: RunTable, idx?: ArrayLike<number>): { run: Int32Array; keys: string[] } {
  const n = idx ? idx.length : table.length;
  const runOf = new Map<string, number>();
  const run = new Int32Array(n);
  let f = "";
  let m = "";
  let s = "";
  let id = -1;
  for (let k = 0; k < n; k++) {
    const r = idx ? idx[k] : k;
    if (id < 0 || table.family[r] !== f || table.model[r] !== m || table.seed[r] !== s) {
      f = table.family[r];
      m = table.model[r];
      s = table.seed[r];
      const key = `${f}\u0000${m}\u0000${s}`;
      id = runOf.get(key) ?? runOf.size;
      if (id === runOf.size) runOf.set(key, id);
    }
    run[k] = id;
  }
  return { run, keys: [...runOf.keys()] };
}
