/**
 * The canonical run table: one row per evaluation of one model at one checkpoint, long format
 * (`family, model, params, tokens, flops, metric, value, seed, step`, plus optional `arch`,
 * `dataset`, `source`, `unique_tokens`). Columnar so it can be handed to fitting workers as typed arrays.
 */
export interface RunTable {
  /** Where the rows came from (a file name, `db:PATH`, `corpus:NAME`, `builtin:ladder`). */
  readonly origin: string;
  readonly length: number;
  readonly family: readonly string[];
  /** Training-run id; rows of one run (all its checkpoints, one seed) share family, model and seed. */
  readonly model: readonly string[];
  readonly params: Float64Array;
  readonly tokens: Float64Array;
  readonly flops: Float64Array;
  readonly metric: readonly string[];
  readonly value: Float64Array;
  readonly seed: readonly string[];
  /** Training step; NaN where unknown. */
  readonly step: Float64Array;
  readonly arch?: readonly string[];
  readonly dataset?: readonly string[];
  readonly source?: readonly string[];
  /** Unique tokens in the training data (data-constrained runs, Muennighoff et al. 2023); NaN where unknown. */
  readonly uniqueTokens?: Float64Array;
  /**
   * Other numeric file columns a command asked for (`extraColumns`, e.g. a `budget` column for
   * IsoFLOP grouping), keyed by the name asked for, row-aligned with the table (filters included)
   * so no caller has to match rows back to the file; NaN where a cell is empty.
   */
  readonly extra?: Readonly<Record<string, Float64Array>>;
  /** 1-based line of each row in its file, for error messages; absent for generated tables. */
  readonly line?: Int32Array;
  /** Likely problems that did not stop reading (e.g. params that look like millions), one line each. */
  readonly warnings?: readonly string[];
}

/** The metric name that the CSV contract's `loss` column maps to. */
export const DEFAULT_METRIC = "loss";
