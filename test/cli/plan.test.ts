import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli as run } from "../fixtures/cli.js";
import { EPOCH_FILE } from "../fixtures/epoch.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";
import { tempDir } from "../fixtures/temp.js";

test("plan --preset hoffmann --budget 5.76e23 --json: the acceptance numbers", async () => {
  const r = await run(["plan", "--preset", "hoffmann", "--budget", "5.76e23", "--json"]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  // Closed form by hand (python3): N 3.2189859e10, D 2.9823057e12, L 1.9307481.
  assert.equal(Number(j.params.toPrecision(4)), 3.219e10);
  assert.equal(Number(j.tokens.toPrecision(4)), 2.982e12);
  assert.equal(Number(j.loss.toFixed(4)), 1.9307);
  assert.equal(j.flops, 5.76e23);
});

test("bad flags are one-line errors with exit code 2", async () => {
  for (const argv of [
    ["plan", "--preset", "hoffmann", "--budget", "-1e23"],
    ["flops", "--gpus", "8", "--days", "3", "--gpu", "h1000"],
    ["flops", "--budget", "1e23", "--gpu", "h100", "--mfu", "2"],
    ["plan", "--preset", "nope", "--budget", "1e23"],
  ]) {
    const r = await run(argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
    assert.match(r.err, /^scaleladder: /);
  }
});

test("plan FILE without --approach says which approaches there are, once", async () => {
  const dir = tempDir();
  const file = join(dir, "runs.csv");
  writeFileSync(file, "params,tokens,loss\n1e8,2e9,3.1\n2e8,4e9,2.9\n");
  const r = await run(["plan", file, "--budget", "1e22"]);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /^scaleladder: plan: a file needs --approach 1, 2, 3 or data-constrained; hint: /,
  );
  const bad = await run(["plan", file, "--approach", "4"]);
  assert.equal(bad.err, 'scaleladder: --approach: must be 1, 2, 3 or data-constrained, got "4"\n');
});

test("plan --fit reads the JSON of fit --json, and its replicates give intervals", async () => {
  const dir = tempDir("plan-");
  const file = join(dir, "fit.json");
  const params = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
  const replicates = [0.33, 0.34, 0.35].map((alpha) => ({ ...params, alpha }));
  writeFileSync(
    file,
    JSON.stringify({
      law: "chinchilla",
      params,
      settings: { bootstrap: { resamples: 3, seed: 0, level: 0.95 } },
      replicates,
    }),
  );
  const r = await run(["plan", "--fit", file, "--budget", "5.76e23", "--json"]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(Number(j.params.toPrecision(4)), 3.219e10);
  assert.ok(j.intervals.params[0] < j.params && j.params < j.intervals.params[1]);
});

test("plan --approach 2 on the Epoch extraction prints the exponent, the bias warning and Approach 3", {
  skip: sharedSkip(EPOCH_FILE),
}, async () => {
  const r = await run([
    "plan",
    sharedPath(EPOCH_FILE),
    "--approach",
    "2",
    "--params-col",
    "Model Size",
    "--flops-col",
    "Training FLOP",
    "--drop-highest",
    "5",
    "--bootstrap",
    "200",
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.ok(Math.abs(j.exponentN - 0.49) < 0.02, `${j.exponentN}`);
  assert.ok(j.interval.exponentN[0] < j.exponentN && j.exponentN < j.interval.exponentN[1]);
  assert.match(j.warnings[0], /Czech et al\. 2026/);
  // Approach 3 = the golden fit's a = β/(α+β) = 0.51390 (test/fixtures/epoch.ts values, by hand).
  assert.ok(Math.abs(j.approach3.exponentN - 0.5139) < 1e-4);
});

test("plan --preset hoffmann says why it is not Chinchilla's 70B / 1.4T; the note's numbers hold", async () => {
  const h = await run(["plan", "--preset", "hoffmann", "--budget", "5.76e23", "--json"]);
  assert.equal(h.code, 0, h.err);
  const j = JSON.parse(h.out);
  assert.match(j.note, /32B params \/ 3\.0T tokens/);
  assert.ok(Math.abs(j.params / 32.2e9 - 1) < 0.01 && Math.abs(j.tokens / 2.98e12 - 1) < 0.01);
  const e = JSON.parse(
    (await run(["plan", "--preset", "epoch", "--budget", "5.76e23", "--json"])).out,
  );
  assert.ok(Math.abs(e.params / 72.2e9 - 1) < 0.01 && Math.abs(e.tokens / 1.33e12 - 1) < 0.01);
  // Unrounded Hoffmann (Epoch's notebook true_params), closed form N = G·(C/6)^(β/(α+β)) with
  // G = (αA/(βB))^(1/(α+β)); python3 gives N = 4.036e10, D = 2.378e12 (the note's 40B / 2.4T).
  const [a, b, A, B] = [0.33917, 0.28491, Math.exp(6.0073404), Math.exp(6.0179186)];
  const N = ((a * A) / (b * B)) ** (1 / (a + b)) * (5.76e23 / 6) ** (b / (a + b));
  assert.ok(Math.abs(N / 4.036e10 - 1) < 1e-3);
});
