import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
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

  const third = await runCli(argv(out));
  assert.match(third.out, /2 chunks resumed from disk/);
  assert.equal(readFileSync(join(out, "grid.csv"), "utf8"), grid);
});
