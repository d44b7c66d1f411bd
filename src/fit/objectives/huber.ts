import type { Objective } from "./types.js";

/** The default Huber threshold on log residuals (Hoffmann et al. 2022; Besiroglu et al. 2024). */
export const HUBER_DELTA = 1e-3;

/**
 * Huber loss on log-loss residuals, summed: ρ(r) = r²/2 for |r| ≤ δ, δ(|r| − δ/2) beyond — the
 * convention of scipy.special.huber, used by Hoffmann et al. 2022 (δ = 1e-3) and Besiroglu et al.
 * 2024. Quadratic near zero, linear in the tails, so a few outlying runs cannot drag the fit.
 */
export function huberLog(delta = HUBER_DELTA): Objective {
  return {
    name: "huber-log",
    space: "log",
    settings: { delta },
    rho(r) {
      const a = Math.abs(r);
      return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
    },
    drho(r) {
      return Math.min(delta, Math.max(-delta, r));
    },
    d2rho(r) {
      return Math.abs(r) <= delta ? 1 : 0;
    },
    drhoPiece(r, r0) {
      return r0 > delta ? delta : r0 < -delta ? -delta : r;
    },
  };
}
