import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { tempDir } from "../fixtures/temp.js";

const argv = (out: string) => ["analyze", "--builtin", "--experiment", "grid,window", "--out", out];

test("analyze resumes from saved chunks and writes the same bytes", async () => {
  const out = tempDir("scaleladder-analyze-");
  const first = await runCli(argv(out));
  assert.equal(first.code, 0, first.err);
  const chunks = readdirSync(join(out, "chunks"));
  assert.equal(chunks.length, 2);
  const grid = readFileSync(join(out, "grid.csv"), "utf8");
  // meta.fits / laws / resumed depend on scheduling and on what a resume finds; they stay out.
  const summary = readFileSync(join(out, "summary.json"), "utf8");
  assert.doesNotMatch(summary, /"(fits|laws|resumed|seconds)"/);
  assert.doesNotMatch(
    grid.split("\n")[0],
    /fitMs/,
    "no wall-clock times in files without --timing",
  );

  // As after an interrupt: one chunk is lost; the rerun computes only that one.
  rmSync(join(out, "chunks", chunks.find((c) => c.startsWith("window")) as string));
  const second = await runCli(argv(out));
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /1 chunks resumed from disk/);
  assert.equal(readFileSync(join(out, "grid.csv"), "utf8"), grid);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), summary);

  const third = await runCli(argv(out));
  assert.match(third.out, /2 chunks resumed from disk/);
  assert.equal(readFileSync(join(out, "grid.csv"), "utf8"), grid);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), summary);
  // A fresh run in another process order writes the same summary too.
  const fresh = await runCli([...argv(out), "--fresh", "--workers", "1"]);
  assert.equal(fresh.code, 0, fresh.err);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), summary);
});

test("analyze --out on a file or under one exits 2 with one line, before any work", async () => {
  const dir = tempDir("scaleladder-analyze-");
  const file = join(dir, "taken");
  writeFileSync(file, "x");
  for (const out of [file, join(file, "sub")]) {
    const r = await runCli(argv(out));
    assert.equal(r.code, 2, r.err);
    assert.match(
      r.err,
      /^scaleladder: .*taken(\/sub)?: (is a file, but a folder is needed|cannot write: a file stands where a folder is needed)/,
    );
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  }
});
