import { fit } from "../fit/fit.js";
import type { FitData, FitOptions, FitResult } from "../fit/types.js";
import { getLaw } from "../laws/index.js";

/** One remembered fit: the exact training rows it was fitted on, and its result. */
interface Entry {
  readonly rows: Int32Array;
  readonly result: FitResult;
  /** Made elsewhere for this run (a worker) and not yet handed out: the first use is its own. */
  fresh: boolean;
}

/**
 * Remembers fits by their training rows and fit options, so a training set that several experiments
 * share is fitted once. The meta-analysis has many: the main grid and the no-cut grid agree wherever
 * the 1e10 cut removes nothing, the params cell is the grid's last one, a window ending at the pool's
 * top with all models is the grid's k = n, and the end-of-training windows with m·0.7T below the cut
 * are the grid's p = 0.7 (about 15% of all fits). A fit is a deterministic function of its data and
 * options, so the reused result is the one a new fit would return; only its timing differs, which
 * is why a reused result comes back with `fitMs` 0 (this run spent no time on it).
 */
export class FitMemo {
  private readonly entries = new Map<string, Entry[]>();
  /** Fits actually computed (here, or by a worker and handed out here), and fits answered from memory. */
  computed = 0;
  reused = 0;

  /**
   * The fit of `data` (table rows `rows`) under `options`: remembered, or computed and remembered.
   * `data` may be a function, called only when the fit is not remembered. Errors (too few points)
   * are not remembered; the caller records them per cell.
   */
  fit(rows: ArrayLike<number>, data: FitData | (() => FitData), options: FitOptions): FitResult {
    const hit = this.find(rows, options);
    if (hit?.fresh) {
      hit.fresh = false;
      this.computed++;
      return hit.result;
    }
    if (hit) {
      this.reused++;
      return hit.result.timing ? { ...hit.result, timing: { fitMs: 0 } } : hit.result;
    }
    const result = fit(typeof data === "function" ? data() : data, options);
    this.computed++;
    this.add(rows, options, result, false);
    return result;
  }

  /** Whether the fit of these rows under these options is remembered. */
  has(rows: ArrayLike<number>, options: FitOptions): boolean {
    return this.find(rows, options) !== undefined;
  }

  /**
   * Remembers a fit made elsewhere in this run (a worker): its first use counts as computed and
   * keeps its timing, as if it had been made here.
   */
  put(rows: ArrayLike<number>, options: FitOptions, result: FitResult): void {
    if (!this.has(rows, options)) this.add(rows, options, result, true);
  }

  private find(rows: ArrayLike<number>, options: FitOptions): Entry | undefined {
    return this.entries.get(memoKey(rows, options))?.find((e) => sameRows(e.rows, rows));
  }

  private add(rows: ArrayLike<number>, options: FitOptions, result: FitResult, fresh: boolean) {
    const key = memoKey(rows, options);
    const entry = { rows: Int32Array.from(rows), result, fresh };
    const list = this.entries.get(key);
    if (list) list.push(entry);
    else this.entries.set(key, [entry]);
  }
}

/**
 * A short key of a training set and its options: equal sets have equal keys (the clock `now`, a
 * function, is not part of it); rows are still compared one by one on a match.
 */
export function memoKey(rows: ArrayLike<number>, options: FitOptions): string {
  return `${JSON.stringify(options)}\u0000${rows.length}\u0000${hashRows(rows)}`;
}

/** A fit result as a worker thread can post it: everything but the law, which holds functions. */
export type PostedFit = Omit<FitResult, "law">;

export function postedFit(r: FitResult): PostedFit {
  const { law: _law, ...rest } = r;
  return rest;
}

/** A posted fit with its law restored from the options it was fitted under (as `fit` resolved it). */
export function receivedFit(r: PostedFit, options: FitOptions): FitResult {
  const law =
    typeof options.law === "object"
      ? options.law
      : getLaw(options.law ?? "chinchilla", { column: options.column });
  return { ...r, law };
}

/** FNV-1a over the row indices: a short key; equality is still checked row by row. */
function hashRows(rows: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < rows.length; i++) {
    h ^= rows[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Whether two training sets hold the same rows in the same order. */
export function sameRows(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
