import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";

test("analyze --experiment coverage writes coverage.csv/json and prints both intervals' coverage", async () => {
  const out = mkdtempSync(join(tmpdir(), "scaleladder-coverage-"));
  const r = await runCli([
    "analyze",
    "--experiment",
    "coverage",
    "--builtin",
    "--bootstrap",
    "20",
    "--workers",
    "1",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /confidence {7}prediction {4}\+ backtest/);
  assert.match(r.out, /\nall {2}/);
  const csv = readFileSync(join(out, "coverage.csv"), "utf8").split("\n");
  assert.match(csv[0], /^family,target,k,scaleUp,status,predicted,actual,confidenceLo/);
  assert.ok(csv.length >= 4);
  assert.ok(JSON.parse(readFileSync(join(out, "coverage.json"), "utf8")).summary.length >= 2);
});
