import { InputError } from "../errors.js";
import { lawParameters } from "../laws/types.js";
import { bisect, minimize1d } from "./minimize.js";
import { lossAt, type PlanModel } from "./model.js";
import { checkBudget } from "./units.js";

/** A compute-optimal (or rule-prescribed) choice of model size and tokens for one budget. */
export interface Allocation {
  /** Model size N. */
  readonly params: number;
  /** Training tokens D = C/(6N). */
  readonly tokens: number;
  /** Predicted loss L(N, D). */
  readonly loss: number;
  /** Budget C = 6·N·D. */
  readonly flops: number;
  readonly tokensPerParam: number;
  /** `closed-form` (Chinchilla law), `iso-flop` (numerical, any law) or `rule` (published rule). */
  readonly method: "closed-form" | "iso-flop" | "rule";
  /** Set when the numerical optimum sits at the edge of the search (the law has no interior optimum). */
  readonly warning?: string;
}

/**
 * Chinchilla closed form (Hoffmann et al. 2022, eq. 4 and Appendix D.3): minimising
 * E + A·N^-α + B·D^-β subject to C = 6·N·D gives N_opt = G·(C/6)^a, D_opt = G^-1·(C/6)^b with
 * a = β/(α+β), b = α/(α+β), G = (αA/(βB))^(1/(α+β)).
 * @example chinchillaOptimal([1.69, 406.4, 410.7, 0.34, 0.28], 5.76e23) // N ≈ 3.219e10, D ≈ 2.982e12, L ≈ 1.9307
 */
export function chinchillaOptimal(
  theta: ArrayLike<number>,
  flops: number,
): Omit<Allocation, "method"> {
  const [E, A, B, alpha, beta] = lawParameters(theta, 5, "chinchillaOptimal");
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  const params = G * (flops / 6) ** (beta / (alpha + beta));
  const tokens = flops / (6 * params);
  const loss = E + A * params ** -alpha + B * tokens ** -beta;
  return { params, tokens, loss, flops, tokensPerParam: tokens / params };
}

/**
 * The least compute reaching loss `target` under the Chinchilla law, in closed form: at the optimum
 * αA·N^-α = βB·D^-β, so A·N^-α = β/(α+β)·(L−E) and B·D^-β = α/(α+β)·(L−E), hence
 * N = [A(α+β)/(β(L−E))]^(1/α), D = [B(α+β)/(α(L−E))]^(1/β), C = 6ND.
 * @throws InputError when target ≤ E (no finite compute reaches it)
 */
export function chinchillaForLoss(
  theta: ArrayLike<number>,
  target: number,
): Omit<Allocation, "method"> {
  const [E, A, B, alpha, beta] = lawParameters(theta, 5, "chinchillaForLoss");
  if (!(target > E)) {
    throw new InputError(`target loss ${target} is not above the irreducible loss E = ${E}`, {
      field: "targetLoss",
      hint: "no finite compute reaches it; pick a larger target",
    });
  }
  const s = alpha + beta;
  const params = ((A * s) / (beta * (target - E))) ** (1 / alpha);
  const tokens = ((B * s) / (alpha * (target - E))) ** (1 / beta);
  return {
    params,
    tokens,
    loss: target,
    flops: 6 * params * tokens,
    tokensPerParam: tokens / params,
  };
}

/**
 * Numerical iso-FLOP optimisation for any law of N and D: minimises L(N, C/(6N)) over ln N with a
 * scan and golden-section search, N ∈ [1, C/6]. `uniqueTokens` is passed to data-constrained laws.
 */
export function isoFlopOptimal(
  m: Pick<PlanModel, "law" | "theta">,
  flops: number,
  uniqueTokens?: number,
): Allocation {
  const usesND = m.law.inputs.includes("params") && m.law.inputs.includes("tokens");
  if (!usesND) {
    throw new InputError(
      `law ${m.law.name} does not depend on both N and D, so it cannot allocate compute`,
      {
        field: "model",
        hint: "use a law of N and D, e.g. chinchilla",
      },
    );
  }
  const hi = Math.log(flops / 6);
  const f = (u: number) => {
    const N = Math.exp(u);
    const L = lossAt(m, N, flops / (6 * N), uniqueTokens);
    return Number.isFinite(L) ? L : Infinity;
  };
  const r = minimize1d(f, 0, hi, 481, 1e-12);
  const params = Math.exp(r.x);
  const tokens = flops / (6 * params);
  return {
    params,
    tokens,
    loss: r.f,
    flops,
    tokensPerParam: tokens / params,
    method: "iso-flop",
    ...(r.atEdge
      ? { warning: `law ${m.law.name} has no interior optimum at C = ${flops.toExponential(3)}` }
      : {}),
  };
}

/**
 * The compute-optimal allocation of a budget under a model: the closed form for the Chinchilla law,
 * the published rule for a rule preset (Kaplan), the numerical iso-FLOP optimum otherwise.
 * @throws InputError for a budget that is not positive
 */
export function optimalAllocation(m: PlanModel, flops: number, uniqueTokens?: number): Allocation {
  checkBudget(flops);
  if (m.rule) {
    const params = m.rule.coefficient * (flops / m.rule.unit) ** m.rule.exponent;
    const tokens = flops / (6 * params);
    return {
      params,
      tokens,
      loss: lossAt(m, params, tokens),
      flops,
      tokensPerParam: tokens / params,
      method: "rule",
    };
  }
  if (m.law.name === "chinchilla" && uniqueTokens === undefined)
    return { ...chinchillaOptimal(m.theta, flops), method: "closed-form" };
  return isoFlopOptimal(m, flops, uniqueTokens);
}

/**
 * The least compute whose optimal allocation reaches loss `target`: the closed form for the
 * Chinchilla law, otherwise bisection on ln C of the optimal loss (which falls as C grows).
 * @throws InputError when no budget in [1e6, 1e40] FLOPs reaches the target
 */
export function computeForLoss(m: PlanModel, target: number): Allocation {
  if (!(target > 0) || !Number.isFinite(target)) {
    throw new InputError(`targetLoss must be a positive number, got ${target}`, {
      field: "targetLoss",
    });
  }
  if (m.law.name === "chinchilla" && !m.rule)
    return { ...chinchillaForLoss(m.theta, target), method: "closed-form" };
  const lnC = bisect(
    (u) => optimalAllocation(m, Math.exp(u)).loss - target,
    Math.log(1e6),
    Math.log(1e40),
    1e-13,
  );
  if (Number.isNaN(lnC)) {
    throw new InputError(
      `no budget between 1e6 and 1e40 FLOPs reaches loss ${target} under ${m.name}`,
      {
        field: "targetLoss",
        hint: "pick a target between the law's loss at 1e40 and at 1e6 FLOPs",
      },
    );
  }
  return optimalAllocation(m, Math.exp(lnC));
}
