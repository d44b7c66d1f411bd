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
  rho(r: number): number;
  drho(r: number): number;
}
