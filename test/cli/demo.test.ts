import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { tempDir } from "../fixtures/temp.js";

test("demo forecasts the simulated 7B target, labels it simulated, and writes the JSON summary", async () => {
  const dir = tempDir("scaleladder-demo-");
  const out = join(dir, "demo.json");
  const r = await runCli(["demo", "--out", out, "--bootstrap", "30"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /SIMULATED/);
  assert.match(r.out, /ARE \d+\.\d+%/);
  assert.ok(existsSync(out));
  assert.deepEqual(readdirSync(dir), ["demo.json"]); // atomic: no temporary file left behind
  const j = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(j.label, "simulated");
  assert.equal(j.forecast.label, "simulated");
  assert.equal(j.forecast.target, "sim-7B");
  assert.ok(j.forecast.are < 0.05);
  assert.ok(
    j.forecast.interval[0] <= j.forecast.actual && j.forecast.actual <= j.forecast.interval[1],
  );
});
