import assert from "node:assert/strict";
import { test } from "node:test";
import { ANALYSIS_FIT } from "../../src/analysis/experiments.js";
import { colpretAdapter } from "../../src/data/corpus/colpret.js";
import { forecast } from "../../src/estimate/forecast.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";

const skip = sharedSkip("hitchhiker-colpret/SOURCE.md");

test("the meta-analysis's lighter fit reaches the default fit's optimum on a sample of cells", {
  skip,
}, async (t) => {
  const table = await colpretAdapter.load(sharedPath("hitchhiker-colpret"));
  const sample = [
    { family: "OPT", k: 2, p: 1 },
    { family: "OPT", k: 4, p: 0.5 },
    { family: "gpt3", k: 3, p: 0.8 },
    { family: "gpt3", k: 6, p: 0.3 },
    { family: "t5-pile", k: 3, p: 1 },
    { family: "GPT2-c4-4", k: 2, p: 0.7 },
    { family: "GPT2-oscar-14", k: 2, p: 1 },
    { family: "chinchilla", k: 18, p: 1 },
  ];
  const lines: string[] = [];
  for (const s of sample) {
    const spec = { family: s.family, train: { kind: "smallest", k: s.k } as const, fraction: s.p };
    const full = forecast(table, spec).fit;
    const light = forecast(table, { ...spec, fit: ANALYSIS_FIT }).fit;
    assert.ok(full && light);
    const rel = Math.abs(light.objective.value - full.objective.value) / full.objective.value;
    lines.push(
      `${s.family} k=${s.k} p=${s.p}: objective ${full.objective.value.toExponential(9)} vs ${light.objective.value.toExponential(9)} (rel. diff ${rel.toExponential(1)})`,
    );
    assert.ok(rel < 1e-6, lines[lines.length - 1]);
  }
  for (const l of [`refine ${ANALYSIS_FIT.refine} vs 5:`, ...lines]) t.diagnostic(l);
});
