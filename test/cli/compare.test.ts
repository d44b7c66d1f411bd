import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { sharedDataDir, sharedSkip } from "../fixtures/shared.js";

const base = [
  "compare",
  "--corpus",
  "gadre-overtrain",
  "--from",
  sharedDataDir,
  "--metric",
  "loss_c4_val",
  "--min-tokens",
  "0",
];

test("compare on gadre-overtrain: C4 vs RedPajama, shared exponents said, multiplier with interval", {
  skip: sharedSkip("gadre-overtrain/exp_data/models"),
}, async () => {
  const r = await runCli([
    ...base,
    "--family",
    "gadre-c4_original",
    "--family",
    "gadre-rpj",
    "--bootstrap",
    "20",
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /choice {3}shared exponents: freeing them lowers/);
  assert.match(r.out, /multiplier of B over A: ×0\.\d+ {2}95% interval \[×/);
  assert.match(r.out, /ranking {2}the same/);
  const j = JSON.parse(
    (
      await runCli([
        ...base,
        "--family",
        "gadre-c4_original",
        "--family",
        "gadre-rpj",
        "--shared",
        "no",
        "--at-params",
        "7e10",
        "--at-tokens",
        "1.4e12",
        "--json",
      ])
    ).out,
  );
  assert.equal(j.exponents.shared, false);
  assert.equal(j.exponents.forced, true);
  assert.equal(j.at.params, 7e10);
  assert.ok(j.multiplier > 0 && j.multiplier < 1);
});

test("compare flags are checked by name", {
  skip: sharedSkip("gadre-overtrain/exp_data/models"),
}, async () => {
  const cases = [
    [[...base, "--family", "gadre-rpj"], /--family: give exactly two families, got 1/],
    [
      [...base, "--family", "gadre-rpj", "--family", "gadre-c4_original", "--shared", "maybe"],
      /--shared must be auto, yes or no/,
    ],
    [
      [...base, "--family", "gadre-rpj", "--family", "gadre-c4_original", "--at-params", "7e10"],
      /give --at-params and --at-tokens together/,
    ],
    [[...base, "--family", "gadre-rpj", "--family", "gadre-c4"], /no family "gadre-c4"/],
  ] as const;
  for (const [argv, re] of cases) {
    const r = await runCli([...argv]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
  }
});
