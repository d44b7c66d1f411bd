import { coefficient, exponent, irreducible } from "./params.js";
import type { Law, RawColumns } from "./types.js";

/** What a one-variable power law is called and where it comes from. */
export interface PowerLawSpec {
  readonly name: string;
  readonly column: keyof RawColumns;
  /** Names of [offset, coefficient, exponent]; omit the offset for a pure power law. */
  readonly names: readonly [string | null, string, string];
  readonly formula: string;
  readonly reference: string;
}

/**
 * Builds L(x) = E + A·x^-α (or A·x^-α without offset) on one column. The compute law of the GPT-4
 * report and the `power` law share this shape, so they share this code.
 */
export function offsetPowerLaw(spec: PowerLawSpec): Law {
  const [offsetName, coefName, expName] = spec.names;
  const hasOffset = offsetName !== null;
  const p = hasOffset ? 3 : 2;
  const col = spec.column;
  const params = [
    ...(hasOffset ? [irreducible(offsetName)] : []),
    coefficient(coefName, "coefficient", { basis: expName }),
    exponent(expName, "exponent", { grid: true }),
  ];
  return {
    name: spec.name,
    formula: spec.formula,
    reference: spec.reference,
    inputs: [col],
    params,
    predict(t, x, out) {
      const E = hasOffset ? t[0] : 0;
      const A = t[p - 2];
      const alpha = t[p - 1];
      const v = x.ln[col];
      for (let i = 0; i < out.length; i++) out[i] = E + A * Math.exp(-alpha * v[i]);
    },
    jacobian(t, x, out, pred) {
      const E = hasOffset ? t[0] : 0;
      const A = t[p - 2];
      const alpha = t[p - 1];
      const v = x.ln[col];
      for (let i = 0; i < v.length; i++) {
        const ln = v[i];
        const pw = Math.exp(-alpha * ln);
        const o = i * p;
        if (hasOffset) out[o] = 1;
        out[o + p - 2] = pw;
        out[o + p - 1] = -A * pw * ln;
        if (pred) pred[i] = E + A * pw;
      }
    },
    weightedHessian(t, x, w, out) {
      // Nonzero: ∂²/∂A∂α = −x^-α·ln x and ∂²/∂α² = A·x^-α·ln²x.
      const A = t[p - 2];
      const alpha = t[p - 1];
      const v = x.ln[col];
      let cross = 0;
      let sq = 0;
      for (let i = 0; i < w.length; i++) {
        if (w[i] === 0) continue;
        const term = w[i] * Math.exp(-alpha * v[i]) * v[i];
        cross -= term;
        sq += term * v[i];
      }
      out.fill(0);
      out[(p - 2) * p + p - 1] = cross;
      out[(p - 1) * p + p - 2] = cross;
      out[(p - 1) * p + p - 1] = A * sq;
    },
    basis(t, x, out) {
      const alpha = t[p - 1];
      const v = x.ln[col];
      const m = p - 1;
      for (let i = 0; i < v.length; i++) {
        if (hasOffset) out[i * m] = 1;
        out[i * m + m - 1] = Math.exp(-alpha * v[i]);
      }
    },
  };
}

/** `power`: L = E + A·x^-α on one chosen column (params, tokens or flops). */
export function powerLaw(column: keyof RawColumns = "params"): Law {
  return offsetPowerLaw({
    name: "power",
    column,
    names: ["E", "A", "alpha"],
    formula: `L = E + A·${column}^-alpha`,
    reference: "saturating power law, e.g. Hestness et al. 2017",
  });
}
