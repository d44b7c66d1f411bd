/**
 * The distinct values of a column, and each row's index into them. A ladder evaluates every run at
 * the same token counts, so a term in D alone (B·D^-β) takes far fewer values than there are rows:
 * computing it once per distinct value gives the same numbers for a fraction of the exps.
 */
export interface Distinct {
  /** The distinct values, in order of first appearance. */
  readonly values: Float64Array;
  /** Row i holds values[index[i]]. */
  readonly index: Int32Array;
  /** Room for one number per distinct value, for the caller's per-value terms. */
  readonly scratch: Float64Array;
}

/** Above this share of distinct values the gather costs about what it saves. */
const MAX_SHARE = 0.75;

/**
 * Larger columns are not indexed: finding their distinct values (a hash lookup per row) costs
 * several passes of exps, and a fit of that many rows makes only a few passes over them (its
 * start search runs on a subset).
 */
const MAX_ROWS = 1 << 17;

const cache = new WeakMap<Float64Array, Distinct | null>();

/**
 * The column's distinct values (computed once per column array and kept while it lives), or null
 * when more than 3 in 4 rows are distinct or the column is longer than 2^17. NaN is one value; so are 0 and −0 (the caller reads the
 * row's own value where the sign of a zero could matter).
 */
export function distinctValues(column: Float64Array): Distinct | null {
  let d = cache.get(column);
  if (d !== undefined) return d;
  const n = column.length;
  if (n > MAX_ROWS) return null;
  const limit = MAX_SHARE * n;
  const seen = new Map<number, number>();
  const index = new Int32Array(n);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = column[i];
    let at = seen.get(v);
    if (at === undefined) {
      if (values.length >= limit) {
        cache.set(column, null);
        return null;
      }
      at = values.length;
      seen.set(v, at);
      values.push(v);
    }
    index[i] = at;
  }
  d = { values: Float64Array.from(values), index, scratch: new Float64Array(values.length) };
  cache.set(column, d);
  return d;
}
