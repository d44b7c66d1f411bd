import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { inspectFile, suggestMapping } from "../../src/data/inspect.js";
import { InputError } from "../../src/errors.js";

test("suggestMapping: canonical names first, then look-alikes, each column once", () => {
  assert.deepEqual(suggestMapping(["Model Size", "Training FLOP", "loss", "x"]), {
    params: "Model Size",
    flops: "Training FLOP",
    loss: "loss",
  });
  assert.deepEqual(suggestMapping(["_step", "train/loss", "N", "seed", "run_name"]), {
    seed: "seed",
    params: "N",
    loss: "train/loss",
    model: "run_name",
    step: "_step",
  });
  assert.deepEqual(suggestMapping(["PARAMS", "tokens", "params_count"]), {
    params: "PARAMS",
    tokens: "tokens",
  });
});

test("inspectFile reads columns, rows and a preview; unreadable files are InputErrors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sl-inspect-"));
  try {
    const csv = join(dir, "r.csv");
    writeFileSync(csv, "params,tokens,loss\n1e8,2e9,3.5\n2e8,4e9,3.1\n");
    const r = await inspectFile(csv);
    assert.equal(r.format, "csv");
    assert.equal(r.rows, 2);
    assert.deepEqual(r.columns, ["params", "tokens", "loss"]);
    assert.deepEqual(r.preview[1], { params: "2e8", tokens: "4e9", loss: "3.1" });
    const bad = join(dir, "r.json");
    writeFileSync(bad, "[1, 2]");
    await assert.rejects(inspectFile(bad), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("inspectFile reads a large CSV's columns from its first megabyte, without counting rows", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sl-inspect-"));
  try {
    const csv = join(dir, "big.csv");
    const lines = ["Model Size,tokens,loss"];
    for (let i = 0; i < 60_000; i++) lines.push(`${1e8 + i},${2e9 + i},3.${i % 10}`);
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const r = await inspectFile(csv);
    assert.equal(r.rows, null);
    assert.deepEqual(r.columns, ["Model Size", "tokens", "loss"]);
    assert.equal(r.suggested.params, "Model Size");
    assert.equal(r.preview[0].loss, "3.0");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
