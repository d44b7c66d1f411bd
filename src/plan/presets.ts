import { closest, InputError } from "../errors.js";
import { chinchilla } from "../laws/chinchilla.js";
import { dataConstrained, MUENNIGHOFF_PUBLISHED } from "../laws/data-constrained.js";
import { kaplanND } from "../laws/kaplan.js";
import type { AllocationRule, PlanModel } from "./model.js";
import { PF_DAY } from "./units.js";

/**
 * Kaplan et al. 2020's compute-efficient model size, N_opt = 1.3·10^9 · C_min^0.73 with C_min in
 * PF-days (Fig. 14 left; §6.1), so D = C/(6N) grows only as C^0.27.
 */
export const KAPLAN_RULE: AllocationRule = {
  name: "kaplan",
  coefficient: 1.3e9,
  exponent: 0.73,
  unit: PF_DAY,
  reference: "Kaplan et al. 2020, Scaling Laws for Neural Language Models, Fig. 14 (N ∝ C^0.73)",
};

/**
 * Why `--preset hoffmann` does not give Chinchilla's own 70B / 1.4T. At Chinchilla's 5.76e23 FLOPs
 * the rounded Approach 3 constants (α 0.34, β 0.28; closed form a = β/(α+β) = 0.45) put the optimum
 * at N 32.2B, D 2.98T; the unrounded ones (α 0.33917, β 0.28491, ln A 6.0073404, ln B 6.0179186,
 * ln E 0.5267228, as Epoch's notebook `true_params` records them) at 40.4B / 2.38T. Hoffmann et al.'s
 * own allocation exponents (Table 2: a = 0.50 and 0.49 by Approaches 1 and 2, 0.46 by Approach 3's
 * reported fit) and Epoch's refit (Besiroglu et al. 2024: α 0.3478, β 0.3658, a = 0.513; --preset
 * epoch gives 72.2B / 1.33T) put it near 70B / 1.4T. Sources as read here: the unrounded values and
 * Epoch's estimates from ../shared/data/epoch-chinchilla/SOURCE.md (the primary papers, arXiv
 * 2203.15556 and 2404.10102, could not be fetched from this machine to re-check).
 */
export const HOFFMANN_NOTE =
  "the paper's rounded constants (alpha 0.34, beta 0.28) put the optimum at 32B params / 3.0T tokens for Chinchilla's 5.76e23 FLOPs (unrounded: 40B / 2.4T), while its own allocation exponents (a = 0.46-0.50) and Epoch's refit (preset epoch: 72B / 1.33T) put it near Chinchilla's 70B / 1.4T";

/** Published laws for `plan --preset NAME`. */
export const PRESETS: readonly PlanModel[] = [
  {
    name: "hoffmann",
    law: chinchilla,
    // Hoffmann et al. 2022, Approach 3 (eq. 10): E 1.69, A 406.4, B 410.7, α 0.34, β 0.28.
    theta: Float64Array.from([1.69, 406.4, 410.7, 0.34, 0.28]),
    reference: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, Approach 3",
    note: HOFFMANN_NOTE,
  },
  {
    name: "epoch",
    law: chinchilla,
    // Besiroglu et al. 2024, Table 1 (Chinchilla Scaling: A replication attempt).
    theta: Float64Array.from([1.8172, 482.01, 2085.43, 0.3478, 0.3658]),
    reference: "Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt, Table 1",
  },
  {
    name: "kaplan",
    law: kaplanND,
    // Kaplan et al. 2020, Table 2 (the L(N, D) fit of eq. 1.5): αN 0.076, αD 0.103, Nc 6.4e13, Dc 1.8e13.
    theta: Float64Array.from([6.4e13, 0.076, 1.8e13, 0.103]),
    reference: "Kaplan et al. 2020, eq. 1.5 (loss) and Fig. 14 (allocation)",
    rule: KAPLAN_RULE,
  },
  {
    name: "muennighoff",
    law: dataConstrained,
    theta: Float64Array.from(
      ["E", "A", "B", "alpha", "beta", "RNstar", "RDstar"].map(
        (k) => MUENNIGHOFF_PUBLISHED[k as keyof typeof MUENNIGHOFF_PUBLISHED],
      ),
    ),
    reference:
      "Muennighoff et al. 2023, Scaling Data-Constrained Language Models, eq. 5–7 and App. A",
  },
];

/** Names accepted by `--preset`. */
export const presetNames: readonly string[] = PRESETS.map((p) => p.name);

/**
 * A published law by name.
 * @throws InputError naming the closest preset
 */
export function getPreset(name: string): PlanModel {
  const p = PRESETS.find((x) => x.name === name.toLowerCase());
  if (!p) {
    const near = closest(name, presetNames);
    throw new InputError(`unknown preset "${name}" (expected ${presetNames.join(" | ")})`, {
      field: "preset",
      hint: near ? `did you mean "${near}"?` : "or plan with a fit of your own",
    });
  }
  return p;
}
