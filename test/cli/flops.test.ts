import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli as run } from "../fixtures/cli.js";

test("flops --params 70B --tokens 1.4T: 6ND and PF-days", async () => {
  const r = await run(["flops", "--params", "70B", "--tokens", "1.4T", "--json"]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  // 6 · 70e9 · 1.4e12 = 5.88e23 FLOPs = 5.88e23 / 8.64e19 PF-days.
  assert.equal(j.units.flops, 5.88e23);
  assert.equal(j.units.pfDays, 5.88e23 / 8.64e19);
});

test("flops --gpus 1024 --days 30 --gpu h100 gives the budget", async () => {
  const r = await run(["flops", "--gpus", "1024", "--days", "30", "--gpu", "h100", "--json"]);
  assert.equal(r.code, 0, r.err);
  // 1024 · 30 · 86400 · 989e12 · 0.4 = 1.0500046848e24 (python3)
  assert.ok(Math.abs(JSON.parse(r.out).units.flops / 1.0500046848e24 - 1) < 1e-15);
});

test("flops with a shape reports how far 6N is off", async () => {
  const r = await run([
    "flops",
    "--layers",
    "96",
    "--d-model",
    "12288",
    "--context",
    "2048",
    "--vocab",
    "50257",
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /6N is off by 3\.5%/);
});
