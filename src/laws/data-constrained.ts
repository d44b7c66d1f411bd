import { coefficient, exponent, irreducible } from "./params.js";
import type { Columns, Law } from "./types.js";

/**
 * Muennighoff et al. 2023's published fit (datablations, Appendix A / Table of fitted values):
 * ln E = 0.6254804, ln A = 6.255414, ln B = 7.3049974, α = β = 0.3526596, R*_N = 5.309743,
 * R*_D = 15.387756. Used as one start of the fit and by the `muennighoff` planning preset.
 */
export const MUENNIGHOFF_PUBLISHED = {
  E: Math.exp(0.6254804),
  A: Math.exp(6.255414),
  B: Math.exp(7.3049974),
  alpha: 0.3526596,
  beta: 0.3526596,
  RNstar: 5.309743,
  RDstar: 15.387756,
} as const;

const ORDER = ["E", "A", "B", "alpha", "beta", "RNstar", "RDstar"] as const;

/**
 * The effective sizes of one row (Muennighoff et al. 2023, eq. 5–6):
 * U_D = min(U, D), R_D = D/U_D − 1, D' = U_D·(1 + R*_D·(1 − e^(−R_D/R*_D)));
 * U_N = min(N, N_C) with N_C = [αA/(βB)·U_D^β]^(1/α) the Chinchilla-optimal size for U_D tokens,
 * R_N = N/U_N − 1, N' = U_N·(1 + R*_N·(1 − e^(−R_N/R*_N))).
 */
function effective(t: Float64Array, N: number, D: number, U: number) {
  const [, A, B, alpha, beta, sN, sD] = t;
  const UD = Math.min(U, D);
  const RD = D / UD - 1;
  const eD = Math.exp(-RD / sD);
  const Dp = UD * (1 + sD * (1 - eD));
  const lnUD = Math.log(UD);
  const lnNC = (Math.log(alpha * A) - Math.log(beta * B) + beta * lnUD) / alpha;
  const NC = Math.exp(lnNC);
  const capped = N > NC;
  const UN = capped ? NC : N;
  const RN = N / UN - 1;
  const eN = Math.exp(-RN / sN);
  const Np = UN * (1 + sN * (1 - eN));
  return { UD, RD, eD, Dp, lnUD, lnNC, NC, capped, UN, RN, eN, Np };
}

/**
 * Data-constrained law, L(N, D, U) = E + A·N'^−α + B·D'^−β with the effective parameters N' and
 * effective data D' of repeated epochs (Muennighoff et al. 2023, Scaling Data-Constrained Language
 * Models, eq. 5–7). R*_D is the number of repetitions after which repeated data is worth 1 − 1/e
 * of fresh data's remaining value; R*_N the same for excess parameters. Reads the optional
 * `uniqueTokens` column; without it U = D (every token seen once) and the law is Chinchilla's
 * with N capped at the compute-optimal size. θ = [E, A, B, alpha, beta, RNstar, RDstar].
 */
export const dataConstrained: Law = {
  name: "data-constrained",
  formula:
    "L = E + A·N'^-alpha + B·D'^-beta, D' = U_D(1 + RDstar(1 − e^(−R_D/RDstar))), N' likewise",
  reference: "Muennighoff et al. 2023, Scaling Data-Constrained Language Models, eq. 5–7",
  inputs: ["params", "tokens"],
  params: [
    irreducible("E", { linear: false }),
    coefficient("A", "model-size coefficient"),
    coefficient("B", "data coefficient"),
    exponent("alpha", "model-size exponent", { positive: true }),
    exponent("beta", "data exponent", { positive: true }),
    coefficient("RNstar", "decay constant of excess parameters"),
    coefficient("RDstar", "decay constant of repeated data"),
  ],
  predict(t: Float64Array, x: Columns, out: Float64Array): void {
    const [E, A, B, alpha, beta] = t;
    const U = x.uniqueTokens ?? x.tokens;
    for (let i = 0; i < out.length; i++) {
      const e = effective(t, x.params[i], x.tokens[i], U[i]);
      out[i] = E + A * e.Np ** -alpha + B * e.Dp ** -beta;
    }
  },
  jacobian(t: Float64Array, x: Columns, out: Float64Array, pred?: Float64Array): void {
    const [E, A, B, alpha, beta, sN, sD] = t;
    const U = x.uniqueTokens ?? x.tokens;
    const n = x.params.length;
    for (let i = 0; i < n; i++) {
      const N = x.params[i];
      const e = effective(t, N, x.tokens[i], U[i]);
      const pN = e.Np ** -alpha;
      const pD = e.Dp ** -beta;
      const dLdNp = (-alpha * A * pN) / e.Np;
      const dLdDp = (-beta * B * pD) / e.Dp;
      const o = i * 7;
      out[o] = 1;
      out[o + 1] = pN;
      out[o + 2] = pD;
      out[o + 3] = -A * pN * Math.log(e.Np);
      out[o + 4] = -B * pD * Math.log(e.Dp);
      // ∂N'/∂R*_N = U_N·[(1 − e^(−r/s)) − (r/s)·e^(−r/s)], and likewise for D'.
      out[o + 5] = dLdNp * e.UN * (1 - e.eN - (e.RN / sN) * e.eN);
      out[o + 6] = dLdDp * e.UD * (1 - e.eD - (e.RD / sD) * e.eD);
      if (e.capped) {
        // U_N = N_C depends on A, B, α, β through ln N_C = [ln(αA) − ln(βB) + β·ln U_D]/α.
        const dNpdUN = 1 + sN * (1 - e.eN) - (e.eN * N) / e.UN;
        const k = dLdNp * dNpdUN * e.NC;
        out[o + 1] += k / (alpha * A);
        out[o + 2] -= k / (alpha * B);
        out[o + 3] += (k * (1 / alpha - e.lnNC)) / alpha;
        out[o + 4] += (k * (e.lnUD - 1 / beta)) / alpha;
      }
      if (pred) pred[i] = E + A * pN + B * pD;
    }
  },
  starts() {
    const p = MUENNIGHOFF_PUBLISHED;
    const base = ORDER.map((k) => p[k]);
    const out: Float64Array[] = [Float64Array.from(base)];
    // The decay constants are the weakly identified part: seed a few orders of magnitude of them.
    for (const [fN, fD] of [
      [0.2, 0.2],
      [5, 5],
      [1, 0.2],
      [0.2, 1],
    ]) {
      out.push(Float64Array.from([p.E, p.A, p.B, p.alpha, p.beta, p.RNstar * fN, p.RDstar * fD]));
    }
    return out;
  },
};
