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
 * Cost O(n² · iterations).
 */
export function clusterFlops(
  flops: ArrayLike<number>,
  options: { bandwidth?: number; minSize?: number } = {},
): BudgetGroups {
  const h = options.bandwidth ?? 0.03;
  const minSize = options.minSize ?? 5;
  const x = Array.from(flops, Math.log10);
  const shift = (start: number): number => {
    let m = start;
    for (let it = 0; it < 500; it++) {
      let sw = 0;
      let sx = 0;
      for (const v of x) {
        const w = Math.exp(-0.5 * ((v - m) / h) ** 2);
        sw += w;
        sx += w * v;
      }
      const next = sx / sw;
      if (Math.abs(next - m) < 1e-10) return next;
      m = next;
    }
    return m;
  };
  const modes: number[] = [];
  for (const v of x) {
    const m = shift(v);
    if (!modes.some((o) => Math.abs(o - m) < h / 10)) modes.push(m);
  }
  modes.sort((a, b) => a - b);
  const budgets: number[] = [];
  const groups: number[][] = [];
  const taken = new Uint8Array(x.length);
  for (const m of modes) {
    const g = x.flatMap((v, i) => (Math.abs(v - m) <= h && !taken[i] ? [i] : []));
    if (g.length < minSize) continue;
    for (const i of g) taken[i] = 1;
    budgets.push(10 ** m);
    groups.push(g);
  }
  return {
    budgets: Float64Array.from(budgets),
    groups,
    unassigned: x.length - taken.reduce((a, b) => a + b, 0),
    method: `mean shift on log10 C (bandwidth ${h} decades, groups of at least ${minSize})`,
  };
}
