import { EVIDENCE_QUANTILES, EVIDENCE_TERMS, type EvidenceModel } from "./evidence.js";

/**
 * The shipped evidence model: `fitEvidence(await evidenceFromTable(hitchhikerTable))` on the
 * hitchhiker-colpret corpus plus the two Pythia families of pythia-evals (../shared/data), 1,041
 * converged default-protocol cells of the main grid and the borrow experiment. Regenerate with
 * `scaleladder advise --validate --json` (field `model`); test/analysis/evidence.test.ts checks that
 * these numbers still come out of the data. Leave-one-family-out coverage of the 80% band: 79.9% of
 * held-out cells (82.3% averaged over the 9 family groups; pythia 43%, pythia-deduped 59%, OPT 68%,
 * the others 83–100%).
 */
export const EVIDENCE_MODEL: EvidenceModel = {
  quantiles: [...EVIDENCE_QUANTILES],
  terms: [...EVIDENCE_TERMS],
  median: [
    -4.653111432641201, 0.5026936999233772, -0.4310888826799914, 0.27379213635656474,
    -0.8067412942187988, 0.6021191389152688, -0.4417928002808001,
  ],
  band: [-2.629270668048941, 1.8748353918092147],
  cells: 1041,
  maxScaleUp: 1400,
};
