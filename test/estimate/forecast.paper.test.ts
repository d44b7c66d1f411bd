import assert from "node:assert/strict";
import { test } from "node:test";
import { colpretAdapter } from "../../src/data/corpus/colpret.js";
import type { RunTable } from "../../src/data/types.js";
import { BORROW_PRESETS } from "../../src/estimate/borrow.js";
import { type ForecastSpec, forecast } from "../../src/estimate/forecast.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";

const skip = sharedSkip("hitchhiker-colpret/SOURCE.md");

/**
 * Tolerance: 4 percentage points of ARE. The paper's figures are read off rendered heatmaps
 * (HITCHHIKER_SPEC §4 [F], "approximate"; §6), GPT-3's curves are themselves digitised from a figure,
 * and SciPy's trust-region solver and our Newton steps need not stop at the same point from the same
 * start. 4 points is the paper's own floor below which differences are not meaningful (§3.5: seed
 * variation "up to 4%").
 */
const TOL = 0.04;

const borrowed = { fix: BORROW_PRESETS.hitchhiker.params };

/** Each reported figure, its source, and the forecast that reproduces it under --protocol paper. */
const FIGURES: {
  figure: string;
  source: string;
  paper: number;
  spec: ForecastSpec;
  check?: (are: number) => boolean;
}[] = [
  {
    figure: "OPT, 5 models, 100%, no cut",
    source: "Fig. 5b [F]",
    paper: 0.17,
    spec: { family: "OPT", train: { kind: "smallest", k: 5 }, minTokens: 0 },
  },
  {
    figure: "OPT, 5 models, 100%, 10B cut",
    source: "Fig. 5a [F]",
    paper: 0.056,
    spec: { family: "OPT", train: { kind: "smallest", k: 5 } },
  },
  {
    figure: "GPT-3, 2 models (×500), 100%",
    source: "Fig. 1b [F]",
    paper: 0.132,
    spec: { family: "gpt3", train: { kind: "smallest", k: 2 } },
  },
  {
    figure: "GPT-3, 7 models (×13), 100%",
    source: "Fig. 1b [F]",
    paper: 0.027,
    spec: { family: "gpt3", train: { kind: "smallest", k: 7 } },
  },
  {
    figure: "OLMo-7B from OLMo-1B, borrowed A, α",
    source: "Fig. 6 [P] < 1%, [F] 0.94%",
    paper: 0.0094,
    spec: {
      family: "olmo",
      train: { kind: "list", models: ["OLMo-1B"] },
      cutTest: true,
      fit: borrowed,
    },
    check: (are) => are < 0.01,
  },
  {
    figure: "OPT-175B from 6.7B, borrowed",
    source: "Fig. 6 [P] 37%, [F] 32–37%",
    paper: 0.37,
    spec: {
      family: "OPT",
      train: { kind: "list", models: ["OPT-6.70B"] },
      cutTest: true,
      fit: borrowed,
    },
    check: (are) => are > 0.32 - TOL && are < 0.37 + TOL,
  },
  {
    figure: "OPT-175B from 13B, borrowed",
    source: "Fig. 6 [P] 25%, [F] 25–27%",
    paper: 0.25,
    spec: {
      family: "OPT",
      train: { kind: "list", models: ["OPT-13.00B"] },
      cutTest: true,
      fit: borrowed,
    },
  },
  {
    figure: "OPT-175B from 30B, borrowed",
    source: "Fig. 6 [P] 15%, [F] 15%",
    paper: 0.15,
    spec: {
      family: "OPT",
      train: { kind: "list", models: ["OPT-30.00B"] },
      cutTest: true,
      fit: borrowed,
    },
  },
  {
    figure: "T5-Pile xxl from base, borrowed (fails)",
    source: "Fig. 6 [P] fails, [F] ≈ 212%",
    paper: 2.12,
    spec: {
      family: "t5-pile",
      train: { kind: "list", models: ["pile-t5-base"] },
      cutTest: true,
      fit: borrowed,
    },
    check: (are) => are > 1, // a failed forecast: off by more than 100%
  },
];

let table: RunTable | null = null;

test("--protocol paper reproduces the paper's figures (HITCHHIKER_SPEC §4)", {
  skip,
}, async (t) => {
  table ??= await colpretAdapter.load(sharedPath("hitchhiker-colpret"));
  const lines = [
    "figure                                   source                       paper     ours    diff",
  ];
  const failures: string[] = [];
  for (const f of FIGURES) {
    const are = forecast(table, { ...f.spec, protocol: "paper" }).are;
    const diff = are - f.paper;
    lines.push(
      `${f.figure.padEnd(40)} ${f.source.padEnd(28)} ${(100 * f.paper).toFixed(1).padStart(6)}% ${(100 * are).toFixed(1).padStart(6)}% ${(100 * diff).toFixed(1).padStart(6)}`,
    );
    const ok = f.check ? f.check(are) : Math.abs(diff) <= TOL;
    if (!ok) failures.push(`${f.figure}: paper ${f.paper}, ours ${are}`);
  }
  for (const l of lines) t.diagnostic(l);
  assert.deepEqual(failures, []);
});
