import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { syntheticLadderCsv } from "../fixtures/synthetic.js";

// 20M–2B parameters, up to 40 tokens per parameter (80B tokens).
const ladder = syntheticLadderCsv();

test("predict takes lists: one fit, one row per target, the same values as one target at a time", async () => {
  const many = await runCli([
    "predict",
    ladder,
    "--params",
    "1B,7B,70B",
    "--tokens",
    "20B,140B,1.4T",
    "--json",
    "--no-timing",
  ]);
  assert.equal(many.code, 0, many.err);
  const j = JSON.parse(many.out);
  assert.equal(j.predictions.length, 3);
  for (const [k, [n, d]] of [
    ["1B", "20B"],
    ["7B", "140B"],
    ["70B", "1.4T"],
  ].entries()) {
    const one = await runCli([
      "predict",
      ladder,
      "--params",
      n,
      "--tokens",
      d,
      "--json",
      "--no-timing",
    ]);
    assert.equal(JSON.parse(one.out).prediction.loss, j.predictions[k].loss);
  }
  // Beyond the ladder (largest 2B params): warned with the factors, and in the JSON.
  assert.ok(Math.abs(j.predictions[2].extrapolation.N - 35) < 1e-9);
  assert.equal(j.predictions[0].extrapolation.N, 0.5);
  assert.match(
    many.err,
    /warning: N=70B, D=1\.4T, C=5\.880e\+23 is beyond the ladder: N ×35, D ×\d+/,
  );
  assert.doesNotMatch(many.err, /N=1B, D=20B/);
  // One value goes with every other; the text output is a table.
  const t = await runCli(["predict", ladder, "--params", "7B", "--tokens", "140B,1.4T"]);
  assert.equal(t.code, 0, t.err);
  assert.match(
    t.out,
    /params\s+tokens\s+FLOPs\s+loss\s+beyond ladder\n\s+7B\s+140B\s+5\.88e\+21\s+[\d.]+\s+N ×3\.5/,
  );
});

test("flags that would do nothing are refused", async () => {
  for (const [argv, re] of [
    [["--params", "7B,70B,700B", "--tokens", "1T,2T"], /lists of different lengths \(3 and 2\)/],
    [
      ["--params", "7B", "--tokens", "1T", "--params", "70B"],
      /--params given twice \("7B" and "70B"\)/,
    ],
    [
      ["--params", "7B", "--tokens", "1T", "--level", "0.9"],
      /--level does nothing without --bootstrap K/,
    ],
    [
      ["--params", "7B", "--tokens", "1T", "--seed", "3"],
      /--seed does nothing without --bootstrap K/,
    ],
    [
      ["--params", "7B", "--tokens", "1T", "--x", "tokens"],
      /--x does nothing with --law chinchilla/,
    ],
    [
      ["--params", "7B", "--tokens", "1T", "--over-weight", "3"],
      /--over-weight does nothing with --objective huber-log/,
    ],
  ] as const) {
    const r = await runCli(["predict", ladder, ...argv]);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split("\n").length, 1);
  }
});
