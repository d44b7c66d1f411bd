import type { EvidenceModel } from "./evidence.js";

/**
 * The shipped evidence model: `fitEvidence(await evidenceFromTable(hitchhikerTable))` on the
 * hitchhiker-colpret corpus plus the two Pythia families of pythia-evals (../shared/data), 1,037
 * converged default-protocol cells of the main grid and the borrow experiment. Regenerate with
 * `scaleladder advise --validate --json` (field `model`); test/analysis/evidence.test.ts checks that
 * these numbers still come out of the data. Leave-one-family-out coverage of the 80% band: 79.0% of
 * held-out cells (80.4% averaged over the 9 family groups; pythia 46%, pythia-deduped 47%, OPT 69%,
 * the others 85–100%).
 */
export const EVIDENCE_MODEL: EvidenceModel = {
  quantiles: [0.1, 0.5, 0.9],
  terms: [
    "intercept",
    "ln scaleUp",
    "ln models",
    "ln spread",
    "ln fraction",
    "partialTarget",
    "borrowed",
  ],
  median: [
    -4.7852279253619106, 0.49595173586570374, -0.39742845392058546, 0.2823698607080029,
    -0.8379217414278564, 0.5677033761120168, -0.30972779054170124,
  ],
  band: [-2.677205396228434, 1.9105168779315211],
  cells: 1037,
  maxScaleUp: 1400,
};
