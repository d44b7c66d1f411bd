import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fitQuality, residuals } from "../../src/fit/quality.js";
import { getLaw } from "../../src/laws/index.js";
import { tempDir } from "../data/files.js";
import { runCli } from "../fixtures/cli.js";

// Hoffmann et al. 2022 Approach 3: E, A, B, alpha, beta in the law's parameter order.
const theta = Float64Array.from([1.69, 406.4, 410.7, 0.34, 0.28]);
const chinchilla = (n: number, d: number) => 1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28;

test("residuals and quality against the law written out by hand", () => {
  const params = Float64Array.from([1e8, 1e8, 1e9]);
  const tokens = Float64Array.from([2e9, 4e9, 2e10]);
  // Losses 2% above, exactly at, and 1% below the law.
  const scale = [1.02, 1, 0.99];
  const loss = Float64Array.from(params, (n, i) => chinchilla(n, tokens[i]) * scale[i]);
  const data = { params, tokens, flops: params.map((n, i) => 6 * n * tokens[i]), loss };
  const fit = { law: getLaw("chinchilla"), theta };
  const r = residuals(fit, data);
  // (L − L̂)/L = 1 − 1/s for L = s·L̂.
  const expected = scale.map((s) => 1 - 1 / s);
  r.residual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]) < 1e-12, `${v} vs ${expected[i]}`);
  });
  const q = fitQuality(fit, data);
  const abs = expected.map(Math.abs);
  assert.ok(Math.abs(q.meanAbsRelResidual - (abs[0] + abs[1] + abs[2]) / 3) < 1e-12);
  assert.ok(Math.abs(q.maxAbsRelResidual - abs[0]) < 1e-12);
  const logs = scale.map((s) => Math.log(s) ** 2);
  assert.ok(Math.abs(q.rmseLog - Math.sqrt((logs[0] + logs[1] + logs[2]) / 3)) < 1e-12);
});

test("fit prints its quality; --json --residuals adds each row's fitted value and residual", async () => {
  const lines = ["params,tokens,loss"];
  for (const n of [2e7, 5e7, 1e8, 2e8, 4e8])
    for (let k = 1; k <= 6; k++)
      lines.push(`${n},${k * 2e9},${chinchilla(n, k * 2e9) * (1 + 0.01 * Math.sin(n + k))}`);
  const file = join(tempDir(), "r.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const t = await runCli(["fit", file]);
  assert.equal(t.code, 0, t.err);
  assert.match(
    t.out,
    /^quality {4}\|L − L̂\|\/L mean [\d.]+%, max [\d.]+%; RMSE of log loss [\d.e-]+$/m,
  );
  const j = await runCli(["fit", file, "--json", "--residuals", "--no-timing"]);
  assert.equal(j.code, 0, j.err);
  const out = JSON.parse(j.out);
  assert.equal(out.residuals.length, 30);
  for (const row of out.residuals)
    assert.ok(Math.abs(row.residual - (row.loss - row.fitted) / row.loss) < 1e-15);
  const worst = Math.max(...out.residuals.map((r: { residual: number }) => Math.abs(r.residual)));
  assert.equal(out.quality.maxAbsRelResidual, worst);
  // The data's ±1% wobble is what the fit cannot explain.
  assert.ok(out.quality.maxAbsRelResidual < 0.02 && out.quality.meanAbsRelResidual > 1e-3);
  const bad = await runCli(["fit", file, "--residuals"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--residuals needs --json/);
});
