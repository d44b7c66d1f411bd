import { InputError } from "../errors.js";
import { newton } from "../fit/optimizers/newton.js";
import type { FitStatus } from "../fit/types.js";

/**
 * How a downstream metric follows its predictor x (a task loss, the LM loss, or ln C):
 * - `sigmoid`: y = a / (1 + exp(−k·(x − x0))) + b (Bhagia et al. 2024, the OLMo ladder's step 2);
 *   θ = [a, k, x0, b]. With a task loss as x, k < 0 (accuracy falls as loss rises).
 * - `exp-decay`: y = eps − k·exp(−gamma·x) (Gadre et al. 2024, eq. 5, top-1 error from the LM loss);
 *   θ = [eps, k, gamma].
 */
export type LinkName = "sigmoid" | "exp-decay";

/** Link names accepted by the library and the CLI. */
export const LINK_NAMES: readonly LinkName[] = ["sigmoid", "exp-decay"];

/** A fitted link: parameters, status, and its error on the points it was fitted to. */
export interface LinkFit {
  readonly link: LinkName;
  readonly params: Readonly<Record<string, number>>;
  readonly theta: Float64Array;
  /** Parameters held fixed (the sigmoid's floor b at the task's chance level). */
  readonly fixed: Readonly<Record<string, number>>;
  readonly status: FitStatus;
  readonly statusMessage: string;
  readonly n: number;
  /** Root mean square residual on the fitted points, in the metric's units. */
  readonly rmse: number;
  /** 1 − SSE/SST on the fitted points (NaN when y is constant). */
  readonly r2: number;
}

/** Options of {@link fitLink}. */
export interface LinkOptions {
  /** Hold the sigmoid's floor b at this value (the task's chance accuracy). */
  readonly chance?: number;
  /** Extra starting points (θ in the link's order), e.g. the full-data fit for a bootstrap refit. */
  readonly extraStarts?: readonly ArrayLike<number>[];
}

const NAMES: Readonly<Record<LinkName, readonly string[]>> = {
  sigmoid: ["a", "k", "x0", "b"],
  "exp-decay": ["eps", "k", "gamma"],
};

/** Evaluates a link at x. */
export function linkValue(link: LinkName, theta: ArrayLike<number>, x: number): number {
  if (link === "sigmoid") return theta[0] / (1 + Math.exp(-theta[1] * (x - theta[2]))) + theta[3];
  return theta[0] - theta[1] * Math.exp(-theta[2] * x);
}

/**
 * Least-squares fit of a link y = f(x; θ): a variable-projection grid over the nonlinear
 * parameters (the linear ones solved exactly at each grid point), then the bounded Newton optimizer
 * of `fit/` from the best grid points and any extra starts. Never throws on numerical trouble.
 * @throws InputError for mismatched or non-finite data, fewer points than free parameters, or a bad chance level
 * @example fitLink("sigmoid", loss, acc, { chance: 0.25 }).params.k // < 0
 */
export function fitLink(
  link: LinkName,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: LinkOptions = {},
): LinkFit {
  if (!LINK_NAMES.includes(link))
    throw new InputError(`unknown link "${link}" (expected ${LINK_NAMES.join(" | ")})`, {
      field: "link",
    });
  const xs = Float64Array.from(x);
  const ys = Float64Array.from(y);
  if (xs.length !== ys.length)
    throw new InputError(`x and y differ in length (${xs.length} vs ${ys.length})`, {
      field: "data",
    });
  for (let i = 0; i < xs.length; i++)
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i]))
      throw new InputError(`point ${i} is not finite (x=${xs[i]}, y=${ys[i]})`, { field: "data" });
  const chance = link === "sigmoid" ? options.chance : undefined;
  if (chance !== undefined && !Number.isFinite(chance))
    throw new InputError(`chance must be a finite number, got ${chance}`, { field: "chance" });
  const free = NAMES[link].length - (chance === undefined ? 0 : 1);
  if (xs.length < free)
    throw new InputError(`${xs.length} points cannot determine ${free} link parameters`, {
      field: "data",
      hint: "add checkpoints or models, or give the chance level to fix the floor",
    });

  const problem = makeProblem(link, xs, ys, chance);
  const value = (t: Float64Array) => problem.valueGrad(problem.toFree(t), new Float64Array(free));
  const grid = gridStarts(link, xs, ys, chance)
    .map((theta) => ({ theta, f: value(theta) }))
    .filter((s) => Number.isFinite(s.f))
    .sort((a, b) => a.f - b.f);
  // The four best grid points reach every optimum seen on the synthetic and public tests; the
  // extra starts make a bootstrap refit land in the full fit's basin when it still exists.
  const picked = [...grid.slice(0, 4).map((s) => s.theta), ...(options.extraStarts ?? [])];
  // Half the SSE of residuals at 1e-14 relative: an exact fit to double precision.
  const fatol = 0.5 * ys.reduce((a, v) => a + v * v, 0) * 1e-28;
  let best: { x: Float64Array; f: number; status: FitStatus; message: string } | null = null;
  for (const t of picked) {
    const r = newton.minimize(problem, problem.toFree(Float64Array.from(t)), {
      maxIterations: 200,
      fatol,
    });
    if (Number.isFinite(r.f) && (!best || r.f < best.f))
      best = { x: r.x, f: r.f, status: r.status, message: r.message };
  }
  const theta = best ? problem.toTheta(best.x) : Float64Array.from(NAMES[link], () => Number.NaN);
  const status: FitStatus = best
    ? best.status === "converged" && onBound(problem, best.x)
      ? "bound-hit"
      : best.status
    : "non-finite";
  const names = NAMES[link];
  const n = xs.length;
  let sse = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += ys[i] / n;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (linkValue(link, theta, xs[i]) - ys[i]) ** 2;
    sst += (ys[i] - mean) ** 2;
  }
  return {
    link,
    params: Object.fromEntries(names.map((nm, j) => [nm, theta[j]])),
    theta,
    fixed: chance === undefined ? {} : { b: chance },
    status,
    statusMessage: best
      ? status === "bound-hit"
        ? "a parameter sits on its bound (the sigmoid's scale a at 0: no trend)"
        : best.message
      : "no start gave a finite objective",
    n,
    rmse: Math.sqrt(sse / n),
    r2: sst > 0 ? 1 - sse / sst : Number.NaN,
  };
}

interface Problem {
  valueGrad(u: Float64Array, g: Float64Array): number;
  lower: Float64Array;
  upper: Float64Array;
  toFree(theta: Float64Array): Float64Array;
  toTheta(u: Float64Array): Float64Array;
}

/**
 * Half the sum of squared residuals over the free parameters, with its analytic gradient. Bounds:
 * the sigmoid's a ≥ 0 (the sign of k carries the direction), and a ≤ 1 − b when b is a chance level
 * and the metric lies in [0, 1]; exp-decay's gamma in [0, 100].
 */
function makeProblem(link: LinkName, x: Float64Array, y: Float64Array, chance?: number): Problem {
  const n = x.length;
  if (link === "sigmoid") {
    const fixB = chance !== undefined;
    const k = fixB ? 3 : 4;
    const inf = Number.POSITIVE_INFINITY;
    // An accuracy in [0, 1] with its chance floor cannot exceed 1: a ≤ 1 − b.
    const cap =
      fixB && (chance as number) < 1 && y.every((v) => v <= 1) ? 1 - (chance as number) : inf;
    return {
      lower: Float64Array.from(fixB ? [0, -inf, -inf] : [0, -inf, -inf, -inf]),
      upper: Float64Array.from(fixB ? [cap, inf, inf] : [inf, inf, inf, inf]),
      toFree: (t) => Float64Array.from(fixB ? [t[0], t[1], t[2]] : [t[0], t[1], t[2], t[3]]),
      toTheta: (u) => Float64Array.from([u[0], u[1], u[2], fixB ? (chance as number) : u[3]]),
      valueGrad(u, g) {
        const [a, kk, x0] = u;
        const b = fixB ? (chance as number) : u[3];
        g.fill(0);
        let f = 0;
        for (let i = 0; i < n; i++) {
          const s = 1 / (1 + Math.exp(-kk * (x[i] - x0)));
          const r = a * s + b - y[i];
          f += 0.5 * r * r;
          const ds = s * (1 - s);
          g[0] += r * s;
          g[1] += r * a * ds * (x[i] - x0);
          g[2] -= r * a * ds * kk;
          if (k === 4) g[3] += r;
        }
        return Number.isFinite(f) ? f : inf;
      },
    };
  }
  return {
    lower: Float64Array.from([-Infinity, -Infinity, 0]),
    upper: Float64Array.from([Infinity, Infinity, 100]),
    toFree: (t) => Float64Array.from(t),
    toTheta: (u) => Float64Array.from(u),
    valueGrad(u, g) {
      const [eps, kk, gamma] = u;
      g.fill(0);
      let f = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.exp(-gamma * x[i]);
        const r = eps - kk * e - y[i];
        f += 0.5 * r * r;
        g[0] += r;
        g[1] -= r * e;
        g[2] += r * kk * e * x[i];
      }
      return Number.isFinite(f) ? f : Number.POSITIVE_INFINITY;
    },
  };
}

function onBound(p: Problem, u: Float64Array): boolean {
  return Array.from(u).some((v, i) => v <= p.lower[i] || v >= p.upper[i]);
}

/**
 * Variable-projection starts: for each value of the nonlinear parameters on a grid scaled to the
 * data's x range, the linear parameters by exact least squares (a, b for the sigmoid; eps, k for
 * exp-decay).
 */
function gridStarts(
  link: LinkName,
  x: Float64Array,
  y: Float64Array,
  chance?: number,
): Float64Array[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo || 1;
  const out: Float64Array[] = [];
  if (link === "sigmoid") {
    for (const m of [0.5, 1, 2, 4, 8, 16, 32])
      for (const sign of [-1, 1])
        for (let q = -1; q <= 2; q += 0.25) {
          const k = (sign * m) / span;
          const x0 = lo + q * span;
          const phi = Float64Array.from(x, (v) => 1 / (1 + Math.exp(-k * (v - x0))));
          const [a, b] = linearFit(phi, y, chance);
          // A falling metric under a rising k gives a < 0: start at the bound a = 0 instead.
          out.push(Float64Array.from([Math.max(a, 0), k, x0, b]));
          if (chance !== undefined && chance < 1 && a > 1 - chance)
            out[out.length - 1][0] = 1 - chance;
        }
  } else {
    for (const m of [0.01, 0.03, 0.1, 0.3, 1, 2, 4, 8, 16]) {
      const gamma = m / Math.max(Math.abs(hi), Math.abs(lo), 1e-12);
      const phi = Float64Array.from(x, (v) => -Math.exp(-gamma * v));
      const [k, eps] = linearFit(phi, y);
      out.push(Float64Array.from([eps, k, gamma]));
    }
  }
  return out;
}

/** Least squares y ≈ c·φ + d (d fixed when given): returns [c, d]. */
function linearFit(phi: Float64Array, y: Float64Array, fixedD?: number): [number, number] {
  const n = phi.length;
  if (fixedD !== undefined) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      num += phi[i] * (y[i] - fixedD);
      den += phi[i] * phi[i];
    }
    return [den > 0 ? num / den : 0, fixedD];
  }
  let mp = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mp += phi[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (phi[i] - mp) * (y[i] - my);
    sxx += (phi[i] - mp) ** 2;
  }
  const c = sxx > 0 ? sxy / sxx : 0;
  return [c, my - c * mp];
}
