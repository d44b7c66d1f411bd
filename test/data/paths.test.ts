import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { expandPaths, matchGlob } from "../../src/data/paths.js";
import { tempDir } from "../data/files.js";
import { runCli } from "../fixtures/cli.js";

test("patterns that name no file are expanded in our code, sorted, and shown", async () => {
  const dir = tempDir();
  mkdirSync(join(dir, "sub"));
  for (const n of ["b.csv", "a.csv", "c.json", ".hidden.csv"]) writeFileSync(join(dir, n), "");
  writeFileSync(join(dir, "sub", "d.csv"), "");
  assert.deepEqual(matchGlob(join(dir, "*.csv")), [join(dir, "a.csv"), join(dir, "b.csv")]);
  assert.deepEqual(matchGlob(join(dir, "[ab].csv")), [join(dir, "a.csv"), join(dir, "b.csv")]);
  assert.deepEqual(matchGlob(join(dir, "?.json")), [join(dir, "c.json")]);
  assert.deepEqual(matchGlob(join(dir, "*", "*.csv")), [join(dir, "sub", "d.csv")]);
  assert.deepEqual(expandPaths(["-", join(dir, "b.csv")]), ["-", join(dir, "b.csv")]);
  assert.throws(() => expandPaths([join(dir, "*.parquet")]), /no file matches this pattern/);
  const r = await runCli(["runs", join(dir, "nothing-*.csv")]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^scaleladder: .*nothing-\*\.csv: no file matches this pattern; hint: /);
});
