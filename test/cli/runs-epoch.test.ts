import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { EPOCH_FILE, EPOCH_FLAGS, EPOCH_GOLDEN } from "../fixtures/epoch.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";

// "loss < 3.44" drops exactly the five highest losses, leaving 240 rows (see EPOCH_FLAGS).
const MAPPING = EPOCH_FLAGS;

test("the Epoch file loads straight from its original columns and gives the golden fit", {
  skip: sharedSkip(EPOCH_FILE),
}, async () => {
  const r = await runCli(["fit", sharedPath(EPOCH_FILE), ...MAPPING, "--json", "--no-timing"]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.status, "converged");
  assert.equal(j.n, 240);
  // Golden optimum: test/fixtures/epoch.ts (independent tight fit; Epoch's SOURCE.md agrees).
  assert.ok(
    Math.abs(j.objective.value / EPOCH_GOLDEN.objective - 1) < 1e-7,
    String(j.objective.value),
  );
  for (const [k, v] of Object.entries(EPOCH_GOLDEN.params)) {
    assert.ok(Math.abs(j.params[k] / v - 1) < 5e-5, `${k} = ${j.params[k]}, golden ${v}`);
  }
});

test("the same fit from the store after import", { skip: sharedSkip(EPOCH_FILE) }, async () => {
  const { tempDir } = await import("../data/files.js");
  const db = `${tempDir()}/epoch.duckdb`;
  const imp = await runCli([
    "import",
    sharedPath(EPOCH_FILE),
    "--params-col",
    "Model Size",
    "--flops-col",
    "Training FLOP",
    "--family",
    "epoch-chinchilla",
    "--db",
    db,
  ]);
  assert.equal(imp.code, 0, imp.err);
  assert.match(imp.out, /imported 245 rows/);
  const r = await runCli([
    "fit",
    "--db",
    db,
    "--where",
    "family = 'epoch-chinchilla' AND loss < 3.44",
    "--json",
    "--no-timing",
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.n, 240);
  assert.ok(Math.abs(j.objective.value / EPOCH_GOLDEN.objective - 1) < 1e-7);
});
