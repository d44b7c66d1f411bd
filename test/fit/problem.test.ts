import assert from "node:assert/strict";
import { test } from "node:test";
import { getObjective, objectiveNames } from "../../src/fit/objectives/index.js";
import { makeProblem, type Problem } from "../../src/fit/problem.js";
import { builtinLaws, powerLaw } from "../../src/laws/index.js";
import type { Law } from "../../src/laws/types.js";
import { makeColumns } from "../../src/laws/types.js";
import { normals, rng } from "../../src/math/random.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";

/**
 * `Problem.hessian` builds the Hessian from hand-derived pieces (ρ″, ∇²L̂ via `weightedHessian`, the
 * chain rule to log coordinates). Its independent check: central differences of the analytic
 * gradient, which uses only ρ′ and the Jacobian (each tested against differences of its own).
 */
const laws: Law[] = [...builtinLaws, powerLaw("tokens"), powerLaw("flops")];

/** The points central differences probe around u: u ± h·e_j with relative steps. */
function probes(
  u: Float64Array,
): { j: number; h: number; plus: Float64Array; minus: Float64Array }[] {
  return Array.from(u, (_, j) => {
    const h = 1e-5 * Math.max(1, Math.abs(u[j]));
    const plus = Float64Array.from(u);
    plus[j] += h;
    const minus = Float64Array.from(u);
    minus[j] -= h;
    return { j, h, plus, minus };
  });
}

/** Central differences of the problem's gradient, k×k, at u. */
function fdHessian(grad: (u: Float64Array, g: Float64Array) => number, u: Float64Array) {
  const k = u.length;
  const out = new Float64Array(k * k);
  const gp = new Float64Array(k);
  const gm = new Float64Array(k);
  for (const { j, h, plus, minus } of probes(u)) {
    grad(plus, gp);
    grad(minus, gm);
    for (let a = 0; a < k; a++) out[a * k + j] = (gp[a] - gm[a]) / (2 * h);
  }
  return out;
}

/**
 * The piece of ρ each residual occupies at internal point u, as a string: differences across a
 * kink (Huber's ±δ, the asymmetric loss's 0) measure no second derivative, so such points are
 * redrawn.
 */
function pieces(problem: Problem, u: Float64Array, kink: (r: number) => number): string {
  const pred = new Float64Array(problem.loss.length);
  problem.law.predict(problem.natural(u), problem.x, pred);
  const log = problem.objective.space === "log";
  return Array.from(pred, (q, i) =>
    kink(log ? Math.log(q) - Math.log(problem.loss[i]) : q - problem.loss[i]),
  ).join("");
}

/** Largest |exact − fd| relative to the largest entry of the fd Hessian. */
function mismatch(exact: Float64Array, fd: Float64Array): number {
  let scale = 0;
  for (const v of fd) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < fd.length; i++) worst = Math.max(worst, Math.abs(exact[i] - fd[i]));
  return worst / scale;
}

/**
 * Huber's δ for one point: midway across the widest gap between the sorted |residuals| in their
 * middle half, so both pieces of ρ are occupied and no residual sits within a difference step of
 * the kink.
 */
function splittingDelta(law: Law, theta: Float64Array, data: ReturnType<typeof syntheticLadder>) {
  const x = makeColumns(data.params, data.tokens, data.flops, data.uniqueTokens);
  const pred = new Float64Array(data.loss.length);
  law.predict(theta, x, pred);
  const a = Array.from(pred, (q, i) => Math.abs(Math.log(q) - Math.log(data.loss[i]))).sort(
    (p, q) => p - q,
  );
  let best = Math.floor(a.length / 4);
  for (let i = best; i < (3 * a.length) / 4; i++)
    if (a[i + 1] - a[i] > a[best + 1] - a[best]) best = i;
  return (a[best] + a[best + 1]) / 2;
}

for (const law of laws.filter((l) => TRUE_PARAMS[l.name])) {
  for (const objectiveName of objectiveNames) {
    test(`${law.name} (${law.inputs.join(",")}) × ${objectiveName}: Hessian matches differences of the gradient at random interior points`, () => {
      const truth = TRUE_PARAMS[law.name];
      const data = syntheticLadder(law.name, truth, { sigma: 0.02, seed: 5 });
      const x = makeColumns(data.params, data.tokens, data.flops, data.uniqueTokens);
      const z = normals(rng(17, objectiveNames.indexOf(objectiveName as never)));
      let tested = 0;
      for (let draw = 0; draw < 30 && tested < 3; draw++) {
        // A point near the truth but off it (residuals of both signs, away from every bound).
        const theta = Float64Array.from(law.params, (p) => {
          const v = truth[p.name] * Math.exp(0.05 * z());
          return Math.min(Math.max(v, p.lower + 1e-3 * Math.abs(v)), p.upper * (1 - 1e-3));
        });
        const delta = splittingDelta(law, theta, data);
        const huber = objectiveName === "huber-log";
        const objective = getObjective(objectiveName, huber ? { delta } : {});
        const fixed = new Float64Array(law.params.length).fill(Number.NaN);
        const problem = makeProblem(law, objective, x, data.loss, fixed);
        const u = problem.internal(theta);
        const kink = huber ? (r: number) => +(Math.abs(r) <= delta) : (r: number) => +(r > 0);
        const here = pieces(problem, u, kink);
        if (
          probes(u).some(
            (q) =>
              pieces(problem, q.plus, kink) !== here || pieces(problem, q.minus, kink) !== here,
          )
        )
          continue;
        const trial = tested++;
        const k = u.length;
        const fd = fdHessian((v, g) => problem.valueGrad(v, g), u);
        // Fresh path: the problem evaluates the gradient pass itself.
        const cold = new Float64Array(k * k);
        problem.hessian(u, cold);
        // Cached path: the Hessian reuses the gradient pass just made at the same point.
        const g = new Float64Array(k);
        problem.valueGrad(u, g);
        const warm = new Float64Array(k * k);
        const evals = problem.hessian(u, warm);
        if (law.weightedHessian) assert.equal(evals, 1, "exact Hessian: one pass, no new gradient");
        // Forward differences (laws without weightedHessian) are first order: 1e-6·|u| steps.
        const tol = law.weightedHessian ? 1e-6 : 1e-3;
        assert.ok(mismatch(cold, fd) < tol, `cold path trial ${trial}: ${mismatch(cold, fd)}`);
        assert.ok(mismatch(warm, fd) < tol, `cached path trial ${trial}: ${mismatch(warm, fd)}`);
        assert.deepEqual(warm, cold);
      }
      assert.equal(tested, 3, "points with every residual off the kinks");
    });
  }
}

test("valueGrad with a cutoff: the same value and gradient below it, Infinity above it", () => {
  // Every objective, on two laws (Chinchilla takes the five-parameter path, a law with another
  // number of parameters the general one), at points from near the truth to far off.
  const other = laws.find((l) => l.params.length !== 5 && TRUE_PARAMS[l.name]);
  assert.ok(other);
  const chosen: Law[] = laws.filter((l) => l.name === "chinchilla" || l === other);
  for (const name of objectiveNames) {
    for (const law of chosen) {
      const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sigma: 0.01, seed: 4 });
      const x = makeColumns(data.params, data.tokens, data.flops);
      const problem = makeProblem(
        law,
        getObjective(name, {}),
        x,
        data.loss,
        new Float64Array(law.params.length).fill(Number.NaN),
      );
      const u0 = problem.internal(law.params.map((p) => TRUE_PARAMS[law.name][p.name]));
      const draw = rng(5, 1);
      for (let t = 0; t < 6; t++) {
        const u = Float64Array.from(u0, (v) => v + 0.05 * t * (draw() - 0.5));
        const g = new Float64Array(u.length);
        const f = problem.valueGrad(u, g);
        if (!Number.isFinite(f)) continue;
        const gc = new Float64Array(u.length);
        for (const cutoff of [f, f * (1 + 1e-12), Infinity]) {
          assert.equal(problem.valueGrad(u, gc, cutoff), f, `${name} ${law.name}: at or below`);
          assert.deepEqual(Array.from(gc), Array.from(g));
        }
        for (const cutoff of [0, f * 0.5, f * (1 - 1e-12)]) {
          if (cutoff < f) assert.equal(problem.valueGrad(u, gc, cutoff), Infinity);
        }
        // A cut-off evaluation leaves nothing behind: the Hessian at u is the one without it.
        const h = new Float64Array(u.length * u.length);
        const h2 = new Float64Array(u.length * u.length);
        problem.valueGrad(u, g);
        problem.hessian(u, h);
        problem.valueGrad(u, gc, f * 0.5);
        problem.hessian(u, h2);
        assert.deepEqual(Array.from(h2), Array.from(h));
      }
    }
  }
});
