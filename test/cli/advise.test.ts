import assert from "node:assert/strict";
import { test } from "node:test";
import { judgeRuns, planLadders } from "../../src/analysis/advise.js";
import { LADDER_MIN_TOKENS } from "../../src/cli/table-input.js";
import { builtinLadder, LADDER_FAMILY, LADDER_TARGET } from "../../src/data/simulate/ladder.js";
import { forecast } from "../../src/estimate/forecast.js";
import { runCli } from "../fixtures/cli.js";

test("advise --budget-fraction 0.01 --json: ladders within budget, bands, a recommendation", async () => {
  const c = await runCli([
    "advise",
    "--target-params",
    "70B",
    "--target-tokens",
    "1.4T",
    "--budget-fraction",
    "0.01",
    "--json",
  ]);
  assert.equal(c.code, 0, c.err);
  const plan = JSON.parse(c.out);
  // The schema, key for key.
  assert.deepEqual(Object.keys(plan), ["target", "ladders", "recommended", "cheapestFor"]);
  assert.deepEqual(Object.keys(plan.target), ["params", "tokens", "flops"]);
  assert.deepEqual(Object.keys(plan.ladders[0]), ["runs", "cost", "expectedAre", "notes"]);
  assert.deepEqual(Object.keys(plan.ladders[0].cost), ["flops", "fractionOfTarget"]);
  assert.deepEqual(Object.keys(plan.ladders[0].expectedAre), ["median", "band"]);
  assert.deepEqual(Object.keys(plan.cheapestFor), ["0.10", "0.05"]);
  assert.equal(plan.target.flops, 6 * 70e9 * 1.4e12);
  assert.ok(plan.ladders.length > 3);
  for (const l of plan.ladders) {
    assert.ok(l.cost.flops <= 0.01 * plan.target.flops * (1 + 1e-12));
    assert.ok(l.cost.fractionOfTarget <= 0.01 + 1e-12);
    const [lo, hi] = l.expectedAre.band;
    assert.ok(lo < l.expectedAre.median && l.expectedAre.median < hi);
    for (const r of l.runs) assert.ok(Math.abs(r.flops - 6 * r.params * r.tokens) < 1e-6 * r.flops);
    assert.ok(l.notes.length > 0);
  }
  assert.equal(typeof plan.recommended, "number");
  const ten = plan.cheapestFor["0.10"];
  assert.ok(plan.ladders[ten].expectedAre.median <= 0.1);
  // Cheapest: no cheaper ladder on the frontier reaches 10%.
  assert.ok(
    plan.ladders
      .slice(0, ten)
      .every((l: { expectedAre: { median: number } }) => l.expectedAre.median > 0.1),
  );
});

test("a bigger budget never recommends a worse ladder", () => {
  const small = planLadders({ targetParams: 70e9, targetTokens: 1.4e12, budget: 1e20 });
  const big = planLadders({ targetParams: 70e9, targetTokens: 1.4e12, budget: 1e22 });
  const rec = (p: typeof small) => p.ladders[p.recommended as number].expectedAre.median;
  assert.ok(rec(big) <= rec(small));
});

test("advise on the simulated ladder: the held-out target's realised ARE is inside the band", () => {
  const table = builtinLadder(0);
  const j = judgeRuns(table, LADDER_FAMILY, LADDER_TARGET, 25 * LADDER_TARGET, LADDER_MIN_TOKENS);
  const f = forecast(table, { family: LADDER_FAMILY, minTokens: LADDER_MIN_TOKENS });
  const [lo, hi] = j.current.expectedAre.band;
  assert.ok(f.are >= lo && f.are <= hi, `ARE ${f.are} outside [${lo}, ${hi}]`);
  assert.equal(j.current.features.models, 8);
  assert.ok(j.current.checks.some((c) => c.id === "single-seed"));
  assert.ok(!j.current.checks.some((c) => c.id === "few-sizes"));
});

test("advise judges few close sizes with the guide's checks", () => {
  const table = builtinLadder(0);
  // Target 200M: only the 50M and 81M models are smaller; fewer than 5 sizes, spread < 3×.
  const j = judgeRuns(table, LADDER_FAMILY, 200e6, 5e9, LADDER_MIN_TOKENS);
  const ids = j.current.checks.map((c) => c.id);
  assert.ok(ids.includes("few-sizes") && ids.includes("identifiability"), ids.join(","));
});

test("runs the early cut leaves nothing of are counted in words that agree with the count", () => {
  const table = builtinLadder(0);
  const most = new Map<string, number>();
  for (let i = 0; i < table.length; i++)
    most.set(table.model[i], Math.max(most.get(table.model[i]) ?? 0, table.tokens[i]));
  const ends = [...most.values()].sort((a, b) => a - b);
  const said = (cut: number) =>
    judgeRuns(table, LADDER_FAMILY, LADDER_TARGET, 25 * LADDER_TARGET, cut).current.checks.find(
      (c) => c.id === "runs-below-cut",
    )?.message;
  assert.match(
    said((ends[0] + ends[1]) / 2) ?? "",
    /^1 run ends at or before .* nothing of it; train it longer$/,
  );
  assert.match(
    said((ends[1] + ends[2]) / 2) ?? "",
    /^2 runs end at or before .* nothing of them; train them longer$/,
  );
});
