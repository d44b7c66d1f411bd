import { lineFit } from "../math/regression.js";
import { extent } from "../math/stats.js";
import { coefficient, EXPONENT_GRID, exponent, LOG_COEF_MAX } from "./params.js";
import type { Law, RawColumns } from "./types.js";

/**
 * Seeds L = (Xc/X)^α from the log-log regression ln L = α·ln Xc − α·ln X, which is the exact
 * least-squares answer in log space; falls back to Kaplan's order of magnitude if the data do not fall.
 */
function seedPure(v: Float64Array, loss: Float64Array): [number, number] {
  const lx = Array.from(v, Math.log);
  const ly = Array.from(loss, Math.log);
  const { slope, intercept: icpt } = lineFit(lx, ly);
  const alpha = slope < -1e-4 ? -slope : 0.05;
  // A nearly flat slope puts ln Xc = intercept/α past any double: keep it inside the bounds.
  const lnXc = slope < -1e-4 ? clampLn(icpt / alpha) : extent(lx)[1] + 1;
  return [Math.exp(lnXc), alpha];
}

/** ln Xc kept where Xc is a finite, positive double within the law's bounds. */
const clampLn = (lnXc: number) => Math.min(Math.max(lnXc, -700), Math.log(LOG_COEF_MAX) - 1);

/**
 * Starts of a pure power law as the other laws get them from their grids: the regression seed,
 * then, for each exponent of {@link EXPONENT_GRID}, the Xc that is exact in log least squares for
 * that exponent (ln Xc = mean ln L / α + mean ln X). A single start could lie where the objective
 * overflows (12 of 1,710 random datasets ended `non-finite` at Xc = 1, α = 0 in issue 10's sweep).
 */
function pureStarts(v: Float64Array, loss: Float64Array): Float64Array[] {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < v.length; i++) {
    mx += Math.log(v[i]) / v.length;
    my += Math.log(loss[i]) / loss.length;
  }
  const starts = [Float64Array.from(seedPure(v, loss))];
  for (const alpha of EXPONENT_GRID)
    starts.push(Float64Array.of(Math.exp(clampLn(my / alpha + mx)), alpha));
  return starts.filter((s) => Number.isFinite(s[0]) && s[0] > 0);
}

function kaplanPure(
  name: string,
  column: keyof RawColumns,
  names: [string, string],
  what: string,
): Law {
  return {
    name,
    formula: `L = (${names[0]}/${column === "params" ? "N" : column === "tokens" ? "D" : "C"})^${names[1]}`,
    reference: `Kaplan et al. 2020, Scaling Laws for Neural Language Models, eq. 1.${what}`,
    inputs: [column],
    params: [coefficient(names[0], "critical scale"), exponent(names[1], "exponent")],
    predict(t, x, out) {
      const lnXc = Math.log(t[0]);
      const v = x.ln[column];
      for (let i = 0; i < out.length; i++) out[i] = Math.exp(t[1] * (lnXc - v[i]));
    },
    jacobian(t, x, out, pred) {
      const lnXc = Math.log(t[0]);
      const v = x.ln[column];
      for (let i = 0; i < v.length; i++) {
        const l = lnXc - v[i];
        const L = Math.exp(t[1] * l);
        out[2 * i] = (L * t[1]) / t[0];
        out[2 * i + 1] = L * l;
        if (pred) pred[i] = L;
      }
    },
    starts(x, loss) {
      return pureStarts(x[column], loss);
    },
  };
}

/** `kaplan-n`: L(N) = (Nc/N)^αN, models trained to convergence (Kaplan et al. 2020, eq. 1.1). */
export const kaplanN = kaplanPure("kaplan-n", "params", ["Nc", "alphaN"], "1");
/** `kaplan-d`: L(D) = (Dc/D)^αD, large models with early stopping (Kaplan et al. 2020, eq. 1.2). */
export const kaplanD = kaplanPure("kaplan-d", "tokens", ["Dc", "alphaD"], "2");
/** `kaplan-c`: L(C) = (Cc/C)^αC along the compute-efficient frontier (Kaplan et al. 2020, eq. 1.3). */
export const kaplanC = kaplanPure("kaplan-c", "flops", ["Cc", "alphaC"], "3");

/** Kaplan et al. 2020's published values (Table 1 / eq. 1.5), used as one start. */
const KAPLAN_PUBLISHED = [8.8e13, 0.076, 5.4e13, 0.095];

/**
 * `kaplan-nd`: L(N, D) = [(Nc/N)^(αN/αD) + Dc/D]^αD (Kaplan et al. 2020, eq. 1.5).
 * θ = [Nc, alphaN, Dc, alphaD].
 */
export const kaplanND: Law = {
  name: "kaplan-nd",
  formula: "L = [(Nc/N)^(alphaN/alphaD) + Dc/D]^alphaD",
  reference: "Kaplan et al. 2020, Scaling Laws for Neural Language Models, eq. 1.5",
  inputs: ["params", "tokens"],
  params: [
    coefficient("Nc", "critical model size"),
    exponent("alphaN", "model-size exponent", { positive: true }),
    coefficient("Dc", "critical data size"),
    exponent("alphaD", "data exponent", { positive: true }),
  ],
  predict(t, x, out) {
    const [Nc, aN, Dc, aD] = t;
    const lnNc = Math.log(Nc);
    for (let i = 0; i < out.length; i++) {
      const u = Math.exp((aN / aD) * (lnNc - x.ln.params[i]));
      out[i] = Math.exp(aD * Math.log(u + Dc / x.tokens[i]));
    }
  },
  jacobian(t, x, out, pred) {
    const [Nc, aN, Dc, aD] = t;
    const lnNc = Math.log(Nc);
    const n = x.params.length;
    for (let i = 0; i < n; i++) {
      const l = lnNc - x.ln.params[i];
      const u = Math.exp((aN / aD) * l);
      const s = u + Dc / x.tokens[i];
      const L = Math.exp(aD * Math.log(s));
      const o = 4 * i;
      out[o] = (L * aN * u) / (s * Nc);
      out[o + 1] = (L * u * l) / s;
      out[o + 2] = (L * aD) / (s * x.tokens[i]);
      out[o + 3] = L * (Math.log(s) - (u * aN * l) / (aD * s));
      if (pred) pred[i] = L;
    }
  },
  starts(x, loss) {
    const [Nc, aN] = seedPure(x.params, loss);
    const [Dc, aD] = seedPure(x.tokens, loss);
    return [Float64Array.from(KAPLAN_PUBLISHED), Float64Array.from([Nc, aN, Dc, aD])];
  },
};
