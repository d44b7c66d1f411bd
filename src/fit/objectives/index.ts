import { closest, InputError } from "../../errors.js";
import { asymmetricLog } from "./asymmetric.js";
import { HUBER_DELTA, huberLog } from "./huber.js";
import { ls, lsLog } from "./squares.js";
import type { Objective } from "./types.js";

export type { Objective } from "./types.js";
export { asymmetricLog, huberLog, ls, lsLog };

/** Names accepted by `--objective`. */
export const objectiveNames = ["huber-log", "ls-log", "ls", "asymmetric-log"] as const;

/** Settings an objective may take; each name reads only its own. */
export interface ObjectiveOptions {
  /** Huber threshold δ on log residuals; defaults to 1e-3 (Hoffmann et al. 2022). */
  delta?: number;
  /** Weight on over-estimates for `asymmetric-log`; defaults to 4. */
  overWeight?: number;
}

/**
 * Looks an objective up by name.
 * @throws InputError for an unknown name or a non-positive δ
 */
export function getObjective(name: string, options: ObjectiveOptions = {}): Objective {
  switch (name) {
    case "huber-log": {
      const delta = options.delta ?? HUBER_DELTA;
      if (!(delta > 0) || !Number.isFinite(delta)) {
        throw new InputError(`invalid delta ${delta}; must be a positive number`, {
          field: "delta",
          hint: "the usual value is 1e-3",
        });
      }
      return huberLog(delta);
    }
    case "ls-log":
      return lsLog;
    case "ls":
      return ls;
    case "asymmetric-log": {
      const k = options.overWeight ?? 4;
      if (!(k > 0) || !Number.isFinite(k)) {
        throw new InputError(`invalid over-estimate weight ${k}; must be positive`, {
          field: "overWeight",
        });
      }
      return asymmetricLog(k);
    }
    default: {
      const near = closest(name, objectiveNames);
      throw new InputError(`unknown objective "${name}" (expected ${objectiveNames.join(" | ")})`, {
        field: "objective",
        hint: near ? `did you mean "${near}"?` : "huber-log is the default",
      });
    }
  }
}
