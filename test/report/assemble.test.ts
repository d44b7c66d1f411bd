import assert from "node:assert/strict";
import { test } from "node:test";
import { fitWithUncertainty } from "../../src/estimate/uncertainty.js";
import { assembleReport, type ReportRequest } from "../../src/report/assemble.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";

const record = {
  source: "/some/where/ladder.csv",
  rows: 48,
  runs: 6,
  filters: [],
  paramsDefinition: "as given",
};

async function request(
  law: string,
  resamples: number,
  more: Partial<ReportRequest> = {},
): Promise<ReportRequest> {
  const data = syntheticLadder(law, TRUE_PARAMS[law], { sigma: 0.005, seed: 2 });
  const fit = await fitWithUncertainty(data, { law }, { resamples, seed: 1, workers: 1 });
  return { data, fit, record, command: "test", version: "0", ...more };
}

const names = (r: ReturnType<typeof assembleReport>) => r.figures.map((f) => f.name);

test("a law of N and D with a bootstrap: every figure, the forecast and the plan", async () => {
  const r = assembleReport(
    await request("chinchilla", 5, { target: { params: 7e10, tokens: 1.4e12 }, budget: 1e22 }),
  );
  assert.deepEqual(names(r), ["fit", "residuals", "compute", "contours", "bootstrap"]);
  assert.equal(r.title, "Scaling-law report: chinchilla law on ladder.csv");
  assert.equal(r.target?.params, 7e10);
  assert.ok(r.target && Number.isFinite(r.target.estimate.value));
  assert.equal(r.target?.actual, undefined);
  assert.equal(r.plan?.flops, 1e22);
  assert.ok(r.data.ranges.params[0] < r.data.ranges.params[1]);
});

test("no bootstrap, no target: no bootstrap figure; a law of compute alone has no contours or plan", async () => {
  const plain = assembleReport(await request("chinchilla", 0, { family: "toy" }));
  assert.deepEqual(names(plain), ["fit", "residuals", "compute", "contours"]);
  assert.equal(plain.title, "Scaling-law report: chinchilla law on ladder.csv (toy)");
  assert.equal(plain.target, undefined);
  const compute = assembleReport(await request("compute", 0, { budget: 1e22 }));
  assert.deepEqual(names(compute), ["fit", "residuals", "compute"]);
  assert.equal(compute.plan, undefined);
});

test("a held-out target's actual loss is its last row's", async () => {
  const actual = { tokens: [1e9, 2e9, 4e9], loss: [3.1, 2.9, 2.8] };
  const r = assembleReport(
    await request("chinchilla", 0, { target: { params: 2e9, tokens: 4e9, actual } }),
  );
  assert.equal(r.target?.actual, 2.8);
});
