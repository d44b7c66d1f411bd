import { closest, InputError } from "../../errors.js";
import { lbfgsb } from "./lbfgsb.js";
import { newton } from "./newton.js";
import type { Optimizer } from "./types.js";

export type {
  BoxProblem,
  OptimizeOptions,
  OptimizeResult,
  Optimizer,
  OptimizeStatus,
} from "./types.js";
export { lbfgsb, newton };

/** Optimizers by `--optimizer` name. */
export const builtinOptimizers: readonly Optimizer[] = [newton, lbfgsb];

/**
 * Looks an optimizer up by name.
 * @throws InputError for an unknown name
 */
export function getOptimizer(name: string): Optimizer {
  const o = builtinOptimizers.find((x) => x.name === name);
  if (o) return o;
  const names = builtinOptimizers.map((x) => x.name);
  const near = closest(name, names);
  throw new InputError(`unknown optimizer "${name}" (expected ${names.join(" | ")})`, {
    field: "optimizer",
    hint: near ? `did you mean "${near}"?` : "newton is the default",
  });
}
