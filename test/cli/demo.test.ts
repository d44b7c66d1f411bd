import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

test("demo writes no timings unless asked, so the same seed gives the same bytes; --out must be a file path", async () => {
  const dir = tempDir("scaleladder-demo-");
  const run = async (name: string, ...extra: string[]) => {
    const r = await runCli(["demo", "--out", join(dir, name), "--bootstrap", "4", ...extra]);
    assert.equal(r.code, 0, r.err);
    return readFileSync(join(dir, name), "utf8");
  };
  const a = await run("a.json");
  assert.doesNotMatch(a, /"timing"/);
  assert.equal(await run("b.json", "--workers", "1"), a);
  assert.match(await run("c.json", "--timing"), /"timing"/);
  const help = await runCli(["demo", "--help"]);
  assert.match(help.out, /--no-timing/);
  const taken = await runCli(["demo", "--out", dir]);
  assert.equal(taken.code, 2);
  assert.match(
    taken.err,
    /is a folder, but a file is needed for the output; hint: give --out a writable file path\n$/,
  );
  writeFileSync(join(dir, "f"), "x");
  const under = await runCli(["demo", "--out", join(dir, "f", "d.json")]);
  assert.equal(under.code, 2);
  assert.match(under.err, /cannot write: a file stands where a folder is needed/);
});
