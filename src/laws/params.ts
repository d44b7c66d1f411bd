import type { ParamSpec } from "./types.js";

/**
 * Exponent values tried by the variable-projection grid: dense where fitted exponents of language
 * models fall (0.05–0.8, Kaplan et al. 2020; Hoffmann et al. 2022; Besiroglu et al. 2024), sparser
 * beyond, so a start lands in every basin without thousands of starts.
 */
export const EXPONENT_GRID: readonly number[] = [
  0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.75, 0.95, 1.25, 1.6, 2,
];

/** The widest exponent the fitter may return; beyond it a law's term is numerically a step. */
export const EXPONENT_MAX = 10;

/**
 * Upper bound of coefficients searched in log (A, B, Nc, Dc, …). Far beyond any fitted value, but
 * finite: when data have no trend a law can run off along A → ∞, α → 0, and a finite bound turns
 * that into a `bound-hit` naming the parameter instead of an optimizer lost at overflow.
 */
export const LOG_COEF_MAX = 1e100;

/**
 * Parameter specs, one factory per kind, so every law bounds its parameters the same way.
 * A linear parameter names the exponent its basis column depends on (`basis`), which lets the
 * variable-projection grid solve it exactly; laws without a `basis` function pass none.
 */

/** The irreducible loss E ≥ 0 (a constant basis column when the law is linear in it). */
export function irreducible(name = "E", o: { linear?: boolean } = {}): ParamSpec {
  const linear = o.linear ?? true;
  return {
    name,
    lower: 0,
    upper: Infinity,
    scale: "linear",
    linear,
    ...(linear ? { basisDependsOn: [] } : {}),
    doc: "irreducible loss",
  };
}

/** A positive coefficient or scale searched in log, up to {@link LOG_COEF_MAX}. */
export function coefficient(name: string, doc: string, o: { basis?: string } = {}): ParamSpec {
  return {
    name,
    lower: 0,
    upper: LOG_COEF_MAX,
    scale: "log",
    linear: o.basis !== undefined,
    ...(o.basis !== undefined ? { basisDependsOn: [o.basis] } : {}),
    doc,
  };
}

/**
 * An exponent in [0, {@link EXPONENT_MAX}], or [1e-6, EXPONENT_MAX] when the law divides by it
 * (`positive`); `grid` marks it as searched by the variable-projection grid.
 */
export function exponent(
  name: string,
  doc: string,
  o: { positive?: boolean; grid?: boolean } = {},
): ParamSpec {
  return {
    name,
    lower: o.positive ? 1e-6 : 0,
    upper: EXPONENT_MAX,
    scale: "linear",
    linear: false,
    ...(o.grid ? { grid: EXPONENT_GRID } : {}),
    doc,
  };
}
