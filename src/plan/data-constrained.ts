import { InputError } from "../errors.js";
import { type Allocation, isoFlopOptimal } from "./allocation.js";
import { lossAt, type PlanModel } from "./model.js";
import { checkBudget } from "./units.js";

/** Allocation of a budget when only `uniqueTokens` tokens exist. */
export interface DataConstrainedPlan {
  readonly uniqueTokens: number;
  /** The best N and D given U: D/U is the number of epochs. */
  readonly constrained: Allocation & { readonly epochs: number };
  /** The optimum with unlimited unique data, for comparison. */
  readonly unconstrained: Allocation;
  /** The unconstrained N and D trained on only U unique tokens (what ignoring the limit gives). */
  readonly naive: Allocation & { readonly epochs: number };
}

/**
 * Data-constrained planning (Muennighoff et al. 2023, §5 and Fig. 3): minimises the
 * data-constrained law L(N, D, U) along C = 6·N·D with U fixed, so the answer says how many
 * epochs to repeat the data and how large the model should be once data runs out.
 * @throws InputError unless the model's law reads unique tokens (the `data-constrained` law)
 */
export function dataConstrainedPlan(
  m: PlanModel,
  flops: number,
  uniqueTokens: number,
): DataConstrainedPlan {
  checkBudget(flops);
  if (!(uniqueTokens > 0) || !Number.isFinite(uniqueTokens)) {
    throw new InputError(`uniqueTokens must be a positive number, got ${uniqueTokens}`, {
      field: "uniqueTokens",
    });
  }
  if (m.law.name !== "data-constrained") {
    throw new InputError(`uniqueTokens needs the data-constrained law, not ${m.law.name}`, {
      field: "uniqueTokens",
      hint: "use the muennighoff preset, or a fit of the data-constrained law",
    });
  }
  const constrained = isoFlopOptimal(m, flops, uniqueTokens);
  const unconstrained = isoFlopOptimal(m, flops);
  const naiveLoss = lossAt(m, unconstrained.params, unconstrained.tokens, uniqueTokens);
  return {
    uniqueTokens,
    constrained: { ...constrained, epochs: constrained.tokens / uniqueTokens },
    unconstrained,
    naive: { ...unconstrained, loss: naiveLoss, epochs: unconstrained.tokens / uniqueTokens },
  };
}
