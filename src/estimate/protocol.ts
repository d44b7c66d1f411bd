import type { FitOptions } from "../fit/types.js";
import { MUENNIGHOFF_PUBLISHED as M } from "../laws/data-constrained.js";

/**
 * The initial guess of the Hitchhiker code (HITCHHIKER_SPEC §2.1): Muennighoff et al. 2023's fit
 * as natural chinchilla parameters [E, A, B, alpha, beta].
 */
export const MUENNIGHOFF_START: readonly number[] = [M.E, M.A, M.B, M.alpha, M.beta];

/** How a forecast is made and scored, beyond the law: the choices where the paper's code and ours differ. */
export interface ProtocolRules {
  readonly name: "default" | "paper";
  /** T of the fraction cut: the most tokens over all training models jointly (paper) or each model's own. */
  readonly jointT: boolean;
  /** Keep D < p·T (paper, which drops the final checkpoint at p = 1) instead of D ≤ p·T. */
  readonly strict: boolean;
  /** Most-trained baseline: the training row with the largest N·D (paper text) or the mean of the 5 rows with the largest D (paper code). */
  readonly mostTrained: "max-nd" | "top5-d";
  /** Fit options the protocol imposes (merged under the caller's). */
  readonly fit: FitOptions;
}

/**
 * `paper`: the ColPret code's choices (HITCHHIKER_SPEC §2.1, §3.1): least squares in loss units from
 * the one Muennighoff start, T over the training models jointly, strict `<` at every p.
 * `default`: scaleladder's choices: Huber on log residuals at the global optimum (the default fit),
 * each model's own T, the final checkpoint kept at p = 1, the baseline the paper's text defines.
 */
export const PROTOCOLS: Readonly<Record<"default" | "paper", ProtocolRules>> = {
  default: { name: "default", jointT: false, strict: false, mostTrained: "max-nd", fit: {} },
  paper: {
    name: "paper",
    jointT: true,
    strict: true,
    mostTrained: "top5-d",
    fit: { objective: "ls", starts: "given", extraStarts: [MUENNIGHOFF_START] },
  },
};
