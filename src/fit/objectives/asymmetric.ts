import type { Objective } from "./types.js";

/**
 * Asymmetric squared error on log loss: ρ(r) = k·r² when the law over-estimates the loss (r > 0),
 * r² otherwise. A forecast that promises too little loss costs a budget; one that promises too much
 * only costs optimism, so k > 1 leans the fit towards the lower envelope of noisy runs.
 */
export function asymmetricLog(overWeight = 4): Objective {
  return {
    name: "asymmetric-log",
    space: "log",
    settings: { overWeight },
    rho: (r) => (r > 0 ? overWeight * r * r : r * r),
    drho: (r) => (r > 0 ? 2 * overWeight * r : 2 * r),
    drhoPiece: (r, r0) => (r0 > 0 ? 2 * overWeight * r : 2 * r),
    d2rho: (r) => (r > 0 ? 2 * overWeight : 2),
  };
}
