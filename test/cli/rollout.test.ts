import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";

test("rollout on the built-in ladder: a table by window and distance, JSON with cells and bins", async () => {
  const text = await runCli(["rollout", "--builtin", "--min-models", "7"]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /rollout {2}family simulated-chinchilla/);
  assert.match(text.out, /by extrapolation distance/);
  const r = await runCli([
    "rollout",
    "--builtin",
    "--min-models",
    "7",
    "--bootstrap",
    "20",
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.label, "simulated");
  // 9 models: windows of 7 and 8 forecast 2 + 1 larger ones.
  assert.equal(j.cells.length, 3);
  assert.ok(j.cells.every((c: { inPrediction: boolean | null }) => c.inPrediction !== null));
  const bad = await runCli(["rollout", "--builtin", "--min-models", "1"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--min-models must be at least 2/);
});
