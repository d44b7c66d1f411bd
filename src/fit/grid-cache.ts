import type { Law } from "../laws/types.js";
import type { Problem } from "./problem.js";

/**
 * Normal equations of the variable-projection grid, assembled with reuse. Each basis column depends
 * on few nonlinear parameters (A·N^-α on α only), so over a product grid most columns and Gram
 * entries repeat: they are computed once per value of the parameters they depend on. For the
 * Chinchilla law on a 16×16 grid this replaces 256 basis evaluations and Gram builds by 31 and
 * 256 single inner products.
 */
export interface GramCache {
  /** Fills g (m×m), r (m) for grid point `index` (mixed radix over `axes`); returns zᵀWz. */
  assemble(index: Int32Array, theta: Float64Array, g: Float64Array, r: Float64Array): number;
  /** Mean of basis column k at the last assembled point (to seed log coefficients that came out 0). */
  columnMean(k: number): number;
}

/**
 * Builds the cache, or returns null when some linear parameter does not declare its dependencies
 * or is fixed (then the plain path rebuilds everything per point).
 */
export function makeGramCache(
  prob: Problem,
  nonlinFree: readonly number[],
  axes: readonly (readonly number[])[],
  w: Float64Array,
): GramCache | null {
  const { law, x, loss } = prob;
  const n = loss.length;
  const linIdx = law.params.flatMap((s, j) => (s.linear ? [j] : []));
  const isFree = new Set(prob.free);
  if (linIdx.some((j) => !isFree.has(j) || !law.params[j].basisDependsOn)) return null;
  const m = linIdx.length;
  const names = law.params.map((p) => p.name);
  // deps[k]: positions in nonlinFree that column k depends on (fixed nonlinear params are constant).
  const deps = linIdx.map((j) =>
    (law.params[j].basisDependsOn ?? [])
      .map((nm) => nonlinFree.indexOf(names.indexOf(nm)))
      .filter((a) => a >= 0),
  );
  const keyOf = (axesUsed: readonly number[], index: Int32Array): number => {
    let key = 0;
    for (const a of axesUsed) key = key * axes[a].length + index[a];
    return key;
  };
  const columns = deps.map(() => new Map<number, Float64Array>());
  const pairDeps: number[][] = [];
  const pairs: Map<number, number>[] = [];
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      pairDeps[a * m + b] = [...new Set([...deps[a], ...deps[b]])].sort();
      pairs[a * m + b] = new Map();
    }
  }
  const rhs = deps.map(() => new Map<number, number>());
  let zz = 0;
  for (let i = 0; i < n; i++) zz += w[i] * loss[i] * loss[i];
  const phi = new Float64Array(n * m);
  const current: Float64Array[] = new Array(m);

  return {
    assemble(index, theta, g, r) {
      let computed = false;
      for (let k = 0; k < m; k++) {
        const key = keyOf(deps[k], index);
        let col = columns[k].get(key);
        if (!col) {
          if (!computed) {
            (law as Required<Pick<Law, "basis">>).basis(theta, x, phi);
            computed = true;
          }
          col = new Float64Array(n);
          for (let i = 0; i < n; i++) col[i] = phi[i * m + k];
          columns[k].set(key, col);
        }
        current[k] = col;
      }
      for (let a = 0; a < m; a++) {
        const rk = keyOf(deps[a], index);
        let rv = rhs[a].get(rk);
        if (rv === undefined) {
          rv = 0;
          const ca = current[a];
          for (let i = 0; i < n; i++) rv += w[i] * ca[i] * loss[i];
          rhs[a].set(rk, rv);
        }
        r[a] = rv;
        for (let b = a; b < m; b++) {
          const pk = keyOf(pairDeps[a * m + b], index);
          let gv = pairs[a * m + b].get(pk);
          if (gv === undefined) {
            gv = 0;
            const ca = current[a];
            const cb = current[b];
            for (let i = 0; i < n; i++) gv += w[i] * ca[i] * cb[i];
            pairs[a * m + b].set(pk, gv);
          }
          g[a * m + b] = gv;
        }
      }
      return zz;
    },
    columnMean(k) {
      const c = current[k];
      let s = 0;
      for (let i = 0; i < n; i++) s += c[i];
      return s / n;
    },
  };
}
