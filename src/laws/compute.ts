import { offsetPowerLaw } from "./power.js";

/**
 * Compute law with an irreducible term, L(C) = E + a·C^-b: the form OpenAI fitted to small runs to
 * forecast GPT-4's final loss (OpenAI 2023, GPT-4 Technical Report, §3.1, Fig. 1).
 */
export const compute = offsetPowerLaw({
  name: "compute",
  column: "flops",
  names: ["E", "a", "b"],
  formula: "L = E + a·C^-b",
  reference: "OpenAI 2023, GPT-4 Technical Report, §3.1",
});

/** Pure compute power law, L(C) = a·C^-b, with no irreducible term (Kaplan et al. 2020, Fig. 1). */
export const computePure = offsetPowerLaw({
  name: "compute-pure",
  column: "flops",
  names: [null, "a", "b"],
  formula: "L = a·C^-b",
  reference: "Kaplan et al. 2020, Scaling Laws for Neural Language Models, Fig. 1",
});
