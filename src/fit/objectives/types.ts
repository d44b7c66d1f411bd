/**
 * A fitting objective: Σ ρ(r_i) over residuals r_i = T(L̂_i) − T(L_i), where T is ln for
 * `space: "log"` and the identity for `space: "loss"`. ρ must be once continuously differentiable;
 * `d2rho` is its second derivative where it exists (used only to shape steps, never for convergence).
 */
export interface Objective {
  /** Registry name, e.g. `huber-log`. */
  readonly name: string;
  /** Whether residuals are taken on log loss or on loss. */
  readonly space: "log" | "loss";
  /** The objective's own settings (δ, asymmetry), recorded in every fit. */
  readonly settings: Readonly<Record<string, number>>;
  /** ρ(r) ≥ 0: the fitter stops summing a trial point's ρ once the sum passes what it must beat. */
  rho(r: number): number;
  drho(r: number): number;
  /**
   * ρ′ at r of the smooth piece of ρ that contains r0. Differencing this instead of ρ′ gives the
   * Hessian of the current piece: near the optimum some residuals sit within a hair of Huber's ±δ
   * kink, and a finite-difference probe that crosses it would see a jump, not a curvature.
   */
  drhoPiece(r: number, r0: number): number;
  /** ρ″ at r, taking the piece to the right at a kink (Huber: 1 inside ±δ, else 0). */
  d2rho(r: number): number;
}
