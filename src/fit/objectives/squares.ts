import type { Objective } from "./types.js";

/** Sum of squared residuals in the given space: Σ r². */
function squares(name: string, space: "log" | "loss"): Objective {
  return {
    name,
    space,
    settings: {},
    rho: (r) => r * r,
    drho: (r) => 2 * r,
    drhoPiece: (r) => 2 * r,
    d2rho: () => 2,
  };
}

/** Least squares on log loss, Σ (ln L̂ − ln L)²: relative errors, equal weight to every run. */
export const lsLog: Objective = squares("ls-log", "log");

/**
 * Least squares on loss, Σ (L̂ − L)²: what scipy `curve_fit` minimises, as in the Hitchhiker's
 * Guide's original code (Choshen et al. 2025, §2).
 */
export const ls: Objective = squares("ls", "loss");
