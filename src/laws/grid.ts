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
