import { InputError } from "../errors.js";
import { makeColumns } from "../laws/types.js";
import { eigenSymmetric } from "./linalg.js";
import { newton } from "./optimizers/newton.js";
import { JOINED_BASIN, type OptimizeResult } from "./optimizers/types.js";
import { resolveFitOptions } from "./options.js";
import { makeProblem } from "./problem.js";
import { bestStarts, epochGridStarts, startAt, vpGridStarts } from "./starts.js";
import type { FitData, FitInput, FitOptions, FitResult, FitStatus } from "./types.js";

/**
 * Fits a scaling law by minimising its objective to the global optimum: candidate starts from a
 * variable-projection grid (or the Epoch 4,500-point grid), a local bounded optimizer from the best
 * of them, then a Newton polish of the winner. Never throws on numerical trouble: the status says
 * what happened.
 *
 * @throws InputError for invalid options or data (see {@link resolveFitOptions})
 * @example
 * const r = fit({ params, tokens, flops, loss });
 * r.params.alpha // ≈ 0.3473 on the Epoch extraction of Chinchilla Fig. 4
 */
export function fit(input: FitInput, options: FitOptions = {}): FitResult {
  const o = resolveFitOptions(input, options);
  const data = o.data;
  const t0 = o.now?.();
  const x = makeColumns(data.params, data.tokens, data.flops, data.uniqueTokens);
  const prob = makeProblem(o.law, o.objective, x, data.loss, o.fixed);
  // An objective at the floor of double precision (RMS residual ≈ 1e-12 relative) is an exact fit.
  const scale = o.objective.space === "log" ? 1 : meanSquare(data.loss);
  const fatol = data.loss.length * 1e-24 * scale;
  const local = { maxIterations: o.maxIterations, ftol: o.ftol, gtol: o.gtol, fatol };

  // Large tables: the start search and the runs from each start go on an evenly spaced subset
  // (every k-th row), and only the distinct optima found there are refined on all rows.
  const sub = data.loss.length > o.searchRows ? subsetProblem(data, o, o.subsetRows) : null;
  const search = sub ?? prob;
  const grid =
    o.starts === "epoch-grid"
      ? epochGridStarts(search)
      : o.starts === "given"
        ? { starts: [], tried: 0 }
        : vpGridStarts(search, Math.max(24, 4 * o.refine));
  const extra = o.extraStarts.map((s) => startAt(s, search));
  let candidates = [
    ...bestStarts(grid.starts, o.refine),
    ...extra.filter((s) => Number.isFinite(s.value)),
  ];
  let iterations = 0;
  let evaluations = grid.starts.length + extra.length;
  if (sub) {
    const pre = refineAll(sub, candidates, o.optimizer, {
      ...local,
      fatol: fatol * (sub.loss.length / data.loss.length),
    });
    iterations += pre.iterations;
    evaluations += pre.evaluations;
    candidates = pre.found
      .filter((r) => Number.isFinite(r.f))
      .sort((a, b) => a.f - b.f)
      .map((r) => ({ theta: sub.natural(r.x), value: r.f }));
  }
  // From a subset's optimum Newton starts so close that its stopping rule (decrement ≤ ftol·|f|)
  // can end it a step before its quadratic convergence shows, ~1e-8 short in the parameters; a
  // stricter rule buys that one step, reaching the optimum of a search on all rows to ~1e-12.
  const refineLocal =
    sub && o.optimizer === newton
      ? { ...local, ftol: (local.ftol ?? newton.defaults.ftol) * 1e-6 }
      : local;
  const run = refineAll(prob, candidates, o.optimizer, refineLocal);
  let best = run.best;
  iterations += run.iterations;
  evaluations += run.evaluations;
  if (best && o.polish && o.optimizer !== newton) {
    const box = {
      valueGrad: prob.valueGrad,
      hessian: prob.hessian,
      lower: prob.lower,
      upper: prob.upper,
    };
    const r = newton.minimize(box, best.x, { maxIterations: o.maxIterations, fatol });
    iterations += r.iterations;
    evaluations += r.evaluations;
    if (r.f <= best.f) best = { ...r, iterations: best.iterations + r.iterations };
  }

  const names = o.law.params.map((p) => p.name);
  // Never NaN, even when nothing was finite: then the point shown is the start the search began
  // from (or the box's origin), and the status says the objective was not finite there.
  const theta = best
    ? prob.natural(best.x)
    : prob.natural(
        candidates[0]
          ? prob.internal(candidates[0].theta)
          : Float64Array.from(prob.lower, (lo, a) => Math.min(prob.upper[a], Math.max(lo, 0))),
      );
  const [status, statusMessage] = best
    ? classify(best, prob)
    : (["non-finite", "no start gave a finite objective"] as const);
  const fixed: Record<string, number> = {};
  const bounds: Record<string, [number, number]> = {};
  o.law.params.forEach((p, j) => {
    if (!Number.isNaN(o.fixed[j])) fixed[p.name] = o.fixed[j];
    bounds[p.name] = [p.lower, p.upper];
  });
  const identifiability = best && status !== "non-finite" ? identify(prob, best.x) : null;
  const warnings: string[] = [];
  if (identifiability && identifiability.condition > UNIDENTIFIED_CONDITION) {
    warnings.push(
      `parameters not identified by the data: ${identifiability.weakest.join(" and ")} can move together with almost no change in the objective (scaled Hessian condition ${identifiability.condition.toExponential(1)}); a forecast may depend on where the optimizer stopped: fix or borrow them, or add model sizes`,
    );
  }
  const t1 = o.now?.();
  return {
    law: o.law,
    params: Object.fromEntries(names.map((nm, j) => [nm, theta[j]])),
    theta,
    objective: { name: o.objective.name, value: best ? best.f : Number.POSITIVE_INFINITY },
    status,
    statusMessage,
    iterations,
    evaluations,
    gradNorm: best ? best.gradNorm : Number.POSITIVE_INFINITY,
    n: data.loss.length,
    choices: {
      law: o.law.name,
      formula: o.law.formula,
      objective: o.objective.name,
      objectiveSettings: o.objective.settings,
      space: o.objective.space,
      optimizer: o.optimizer.name,
      starts: o.starts,
      startsTried: grid.tried + extra.length,
      startsRefined: candidates.length,
      polish: o.polish,
      // The local runs' effective stopping rules (the Newton polish uses Newton's own).
      tolerances: {
        maxIterations: o.maxIterations ?? o.optimizer.defaults.maxIterations,
        ftol: o.ftol ?? o.optimizer.defaults.ftol,
        gtol: o.gtol ?? o.optimizer.defaults.gtol,
      },
      fixed,
      bounds,
      ...(sub ? { searchSubset: sub.loss.length } : {}),
    },
    identifiability,
    warnings,
    ...(t0 !== undefined && t1 !== undefined ? { timing: { fitMs: t1 - t0 } } : {}),
  };
}

/** The problem on every k-th row, k = ⌈n / rows⌉ (checkpoints of every run kept evenly). */
function subsetProblem(
  data: FitData,
  o: ReturnType<typeof resolveFitOptions>,
  rows: number,
): ReturnType<typeof makeProblem> {
  const n = data.loss.length;
  const k = Math.ceil(n / rows);
  const m = Math.ceil(n / k);
  const pick = (a: Float64Array) => {
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = a[i * k];
    return out;
  };
  const x = makeColumns(
    pick(data.params),
    pick(data.tokens),
    pick(data.flops),
    data.uniqueTokens && pick(data.uniqueTokens),
  );
  return makeProblem(o.law, o.objective, x, pick(data.loss), o.fixed);
}

/**
 * Runs the local optimizer from each start. A later start that comes within 1e-3 (search
 * coordinates) of an optimum already found, at no lower objective, is in that optimum's basin:
 * Newton would converge there quadratically, so the rest of its run is skipped. Distinct optima
 * are still each refined to the end and returned in `found`.
 */
function refineAll(
  prob: ReturnType<typeof makeProblem>,
  starts: readonly { theta: Float64Array }[],
  optimizer: ReturnType<typeof resolveFitOptions>["optimizer"],
  local: Parameters<typeof newton.minimize>[2],
): {
  best: OptimizeResult | null;
  found: OptimizeResult[];
  iterations: number;
  evaluations: number;
} {
  const box = {
    valueGrad: prob.valueGrad,
    hessian: prob.hessian,
    lower: prob.lower,
    upper: prob.upper,
  };
  let best: OptimizeResult | null = null;
  let iterations = 0;
  let evaluations = 0;
  const found: OptimizeResult[] = [];
  const joins = (x: Float64Array, f: number): boolean =>
    found.some((r) => f >= r.f * (1 - 1e-9) && x.every((v, i) => Math.abs(v - r.x[i]) <= 1e-3));
  for (const s of starts) {
    const r = optimizer.minimize(box, prob.internal(s.theta), { ...local, stopEarly: joins });
    if (r.message !== JOINED_BASIN) found.push(r);
    iterations += r.iterations;
    evaluations += r.evaluations;
    if (Number.isFinite(r.f) && (!best || r.f < best.f)) best = r;
  }
  return { best, found, iterations, evaluations };
}

/**
 * Above this condition number of the unit-diagonal Hessian the data do not determine the
 * parameters: identified fits of Chinchilla's law measure 1e5–1e6 (Epoch's 240 points; GPT-3 and
 * OPT with 3+ sizes), two-size fits 1e15 or singular.
 */
const UNIDENTIFIED_CONDITION = 1e10;

/** Condition number and flattest direction of the Hessian at u, over parameters off their bounds. */
function identify(
  prob: ReturnType<typeof makeProblem>,
  u: Float64Array,
): { condition: number; weakest: string[] } | null {
  const k = u.length;
  if (k === 0) return null;
  const h = new Float64Array(k * k);
  prob.hessian(u, h);
  const inner = Array.from({ length: k }, (_, a) => a).filter(
    (a) => u[a] > prob.lower[a] && u[a] < prob.upper[a],
  );
  if (inner.length === 0) return null;
  const d = inner.map((a) => Math.sqrt(Math.abs(h[a * k + a])));
  if (d.some((v) => !(v > 0) || !Number.isFinite(v))) {
    const flat = inner.filter((_, i) => !(d[i] > 0)).map((a) => prob.law.params[prob.free[a]].name);
    return { condition: Number.POSITIVE_INFINITY, weakest: flat };
  }
  const scaled = inner.map((a, i) => inner.map((b, j) => h[a * k + b] / (d[i] * d[j])));
  const { values, vectors } = eigenSymmetric(scaled);
  const min = values[values.length - 1];
  const condition = min > 0 ? values[0] / min : Number.POSITIVE_INFINITY;
  const weakest = vectors[vectors.length - 1]
    .map((v, i) => [Math.abs(v), prob.law.params[prob.free[inner[i]]].name] as const)
    .filter(([v]) => v >= 0.3)
    .map(([, name]) => name);
  return { condition, weakest };
}

/** Maps an optimizer outcome to a fit status, naming any parameter left on a bound. */
function classify(
  r: OptimizeResult,
  prob: ReturnType<typeof makeProblem>,
): readonly [FitStatus, string] {
  if (r.status === "non-finite") return ["non-finite", r.message];
  if (r.status === "max-iterations") return ["max-iterations", r.message];
  if (r.status === "stalled")
    return ["stalled", `${r.message} (projected gradient ${r.gradNorm.toExponential(2)})`];
  const onBound: string[] = [];
  prob.free.forEach((j, a) => {
    const spec = prob.law.params[j];
    if (r.x[a] <= prob.lower[a]) onBound.push(`${spec.name} at lower bound ${spec.lower}`);
    else if (r.x[a] >= prob.upper[a]) onBound.push(`${spec.name} at upper bound ${spec.upper}`);
  });
  return onBound.length > 0 ? ["bound-hit", onBound.join("; ")] : ["converged", r.message];
}

/** Where to evaluate a law: one point (numbers) or many (array-like columns). */
export interface At<T> {
  params?: T;
  tokens?: T;
  flops?: T;
  uniqueTokens?: T;
}

/**
 * Evaluates a fitted law at new points, or at one point given as numbers. `flops` defaults to
 * 6·N·D.
 * @example predictLoss(result, { params: 7e10, tokens: 1.4e12 }) // → ≈1.94
 * @example predictLoss(result, { params: [7e10], tokens: [1.4e12] }) // → Float64Array [≈1.94]
 * @throws InputError for a point missing a column the law reads
 */
export function predictLoss(result: Pick<FitResult, "law" | "theta">, at: At<number>): number;
export function predictLoss(
  result: Pick<FitResult, "law" | "theta">,
  at: At<ArrayLike<number>>,
): Float64Array;
export function predictLoss(
  result: Pick<FitResult, "law" | "theta">,
  at: At<number> | At<ArrayLike<number>>,
): number | Float64Array {
  const one = [at.params, at.tokens, at.flops].some((v) => typeof v === "number");
  const col = (v: number | ArrayLike<number> | undefined) =>
    v === undefined ? undefined : typeof v === "number" ? [v] : v;
  const params = col(at.params);
  const tokens = col(at.tokens);
  for (const c of result.law.inputs) {
    if (at[c] === undefined && !(c === "flops" && params && tokens)) {
      throw new InputError(`law ${result.law.name} reads ${c}; give it where to predict`, {
        field: c,
      });
    }
  }
  const n = (params ?? tokens ?? col(at.flops) ?? []).length;
  const nan = new Float64Array(n).fill(Number.NaN);
  const x = makeColumns(params ?? nan, tokens ?? nan, col(at.flops), col(at.uniqueTokens));
  const out = new Float64Array(n);
  result.law.predict(result.theta, x, out);
  return one ? out[0] : out;
}

function meanSquare(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s / a.length;
}
