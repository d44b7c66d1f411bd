import { InputError } from "../errors.js";

/** Rows grouped by compute budget: one nominal budget per group and the row indices in it. */
export interface BudgetGroups {
  readonly budgets: Float64Array;
  readonly groups: readonly (readonly number[])[];
  /** Rows that fell in no group. */
  readonly unassigned: number;
  /** How the groups were made, for reports. */
  readonly method: string;
}

/** Groups rows by an explicit budget column: equal values form one group. */
export function groupByBudgetColumn(budget: ArrayLike<number>): BudgetGroups {
  const byValue = new Map<number, number[]>();
  for (let i = 0; i < budget.length; i++) {
    const b = budget[i];
    if (!(b > 0))
      throw new InputError(`budget must be positive, got ${b} at row ${i + 1}`, {
        field: "budget",
      });
    const g = byValue.get(b) ?? [];
    g.push(i);
    byValue.set(b, g);
  }
  const keys = [...byValue.keys()].sort((a, b) => a - b);
  return {
    budgets: Float64Array.from(keys),
    groups: keys.map((k) => byValue.get(k) ?? []),
    unassigned: 0,
    method: "budget column",
  };
}

/** Assigns each row to the nominal budget within `tolerance` decades of its FLOPs (else none). */
export function snapToBudgets(
  flops: ArrayLike<number>,
  nominal: readonly number[],
  tolerance = 0.05,
): BudgetGroups {
  const sorted = [...nominal].sort((a, b) => a - b);
  const groups: number[][] = sorted.map(() => []);
  let unassigned = 0;
  for (let i = 0; i < flops.length; i++) {
    const d = sorted.map((b) => Math.abs(Math.log10(flops[i] / b)));
    const k = d.indexOf(Math.min(...d));
    if (d[k] <= tolerance) groups[k].push(i);
    else unassigned++;
  }
  return {
    budgets: Float64Array.from(sorted),
    groups,
    unassigned,
    method: `nominal budgets ±${tolerance} decades`,
  };
}

/**
 * Automatic grouping of FLOPs into budgets by mean shift (Fukunaga & Hostetler 1975) on log10 C
 * with a Gaussian kernel of `bandwidth` decades: every row climbs to its density mode; rows within
 * one bandwidth of a mode shared by at least `minSize` rows form one IsoFLOP group, whose nominal
 * budget is 10^mode. Rows between profiles (e.g. digitised points of other curves) stay unassigned.
 *
 * Cost: climbing from every row costs O(n²) per step (a 5,000-row log took three minutes, a
 * checkpoint log of millions never ended). In one dimension the mean-shift map is monotone (a
 * larger start never climbs to a smaller mode), so rows sorted by C between two rows that reach
 * the same mode reach it too: climbs run only where the mode changes, O(modes · log n) of them,
 * each over the rows within 8 bandwidths (beyond, a weight is below 1.3e-14 of the nearest one's).
 */
export function clusterFlops(
  flops: ArrayLike<number>,
  options: { bandwidth?: number; minSize?: number } = {},
): BudgetGroups {
  const h = options.bandwidth ?? 0.03;
  const minSize = options.minSize ?? 5;
  const x = Float64Array.from(flops, Math.log10);
  // Distinct values ascending with their multiplicities: the kernel sums run over these. Beyond
  // BINNED_ABOVE distinct values (a checkpoint log: every checkpoint its own C), over the means of
  // bins h/16 wide instead: a bin's weight taken at its mean errs by under 2e-4 of it (second order
  // in the spread within the bin), and the sums stop growing with the rows.
  const sorted = Float64Array.from(x).sort();
  const distinct = runs(sorted, null);
  const { u, count } =
    distinct.u.length > BINNED_ABOVE ? runs(sorted, (v) => Math.floor((16 * v) / h)) : distinct;
  const reach = 8 * h;
  const shift = (start: number): number => {
    let m = start;
    for (let it = 0; it < 500; it++) {
      let sw = 0;
      let sx = 0;
      for (let j = lowerBound(u, m - reach); j < u.length && u[j] <= m + reach; j++) {
        const w = count[j] * Math.exp(-0.5 * ((u[j] - m) / h) ** 2);
        sw += w;
        sx += w * u[j];
      }
      const next = sx / sw;
      if (Math.abs(next - m) < 1e-10) return next;
      m = next;
    }
    return m;
  };
  // Modes of the distinct values, climbing only between starts whose modes differ.
  const modeOf = new Float64Array(u.length).fill(Number.NaN);
  const climb = (i: number) => {
    if (Number.isNaN(modeOf[i])) modeOf[i] = shift(u[i]);
    return modeOf[i];
  };
  const same = (a: number, b: number) => Math.abs(a - b) < h / 10;
  const spans: [number, number][] = u.length > 0 ? [[0, u.length - 1]] : [];
  while (spans.length > 0) {
    const [lo, hi] = spans.pop() as [number, number];
    if (hi - lo <= 1 || same(climb(lo), climb(hi))) continue;
    const mid = (lo + hi) >> 1;
    climb(mid);
    spans.push([mid, hi], [lo, mid]);
  }
  const modes: number[] = [];
  for (let i = 0; i < u.length; i++) {
    if (Number.isNaN(modeOf[i])) continue;
    const m = modeOf[i];
    if (!modes.some((o) => same(o, m))) modes.push(m);
  }
  modes.sort((a, b) => a - b);
  const budgets: number[] = [];
  const groups: number[][] = [];
  const taken = new Uint8Array(x.length);
  let assigned = 0;
  // Each mode's rows within one bandwidth, in row order, found from each row's few nearby modes
  // (one pass, not a pass over every row per mode: 2M rows have hundreds of modes).
  const member = modeMembers(x, modes, h);
  for (let k = 0; k < modes.length; k++) {
    const g: number[] = [];
    for (let j = member.start[k]; j < member.start[k + 1]; j++)
      if (!taken[member.rows[j]]) g.push(member.rows[j]);
    if (g.length < minSize) continue;
    for (const i of g) taken[i] = 1;
    assigned += g.length;
    budgets.push(10 ** modes[k]);
    groups.push(g);
  }
  return {
    budgets: Float64Array.from(budgets),
    groups,
    unassigned: x.length - assigned,
    method: `mean shift on log10 C (bandwidth ${h} decades, groups of at least ${minSize})`,
  };
}

/**
 * The rows within `h` of each of the ascending `modes` (|x − m| ≤ h, as the grouping tests it), in
 * row order: mode k's rows are `rows[start[k] … start[k+1]]`.
 */
function modeMembers(
  x: Float64Array,
  modes: readonly number[],
  h: number,
): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(modes.length + 1);
  // A mode within h of v lies within 2h of it whatever the rounding of v ± 2h.
  const visit = (each: (k: number, i: number) => void) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      for (let k = lowerBound(modes, v - 2 * h); k < modes.length && modes[k] <= v + 2 * h; k++)
        if (Math.abs(v - modes[k]) <= h) each(k, i);
    }
  };
  visit((k) => start[k + 1]++);
  for (let k = 0; k < modes.length; k++) start[k + 1] += start[k];
  const rows = new Int32Array(start[modes.length]);
  const fill = start.slice(0, modes.length);
  visit((k, i) => {
    rows[fill[k]++] = i;
  });
  return { start, rows };
}

/** Above this many distinct values of log10 C, mean shift runs on bins (see clusterFlops). */
const BINNED_ABOVE = 4096;

/**
 * Runs of ascending values sharing a key (the value itself when null): each run's value (its mean
 * for a key) and count.
 */
function runs(
  sorted: Float64Array,
  key: ((v: number) => number) | null,
): { u: number[]; count: number[] } {
  const u: number[] = [];
  const count: number[] = [];
  let sum = 0;
  let k = Number.NaN;
  const close = () => {
    const c = count[count.length - 1];
    if (key) u[u.length - 1] = sum / c;
  };
  for (const v of sorted) {
    const kv = key ? key(v) : v;
    if (count.length === 0 || kv !== k) {
      if (count.length > 0) close();
      u.push(v);
      count.push(0);
      sum = 0;
      k = kv;
    }
    count[count.length - 1]++;
    sum += v;
  }
  if (count.length > 0) close();
  return { u, count };
}

/** First index of ascending `a` whose value is ≥ v. */
function lowerBound(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
