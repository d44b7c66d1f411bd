import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import type { Io } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { duck } from "../../src/data/duckdb.js";
import { LADDER_CSV, writeTemp } from "../data/files.js";

/** Whether `@duckdb/node-api` (a CommonJS package) has been loaded into this process. */
function duckDbLoaded(): boolean {
  const cache = createRequire(import.meta.url).cache;
  return Object.keys(cache).some((k) => k.includes("@duckdb"));
}

test("--version, --help, every command's --help and a small fit never load DuckDB", async () => {
  const out: string[] = [];
  const io: Io = {
    out: (s) => {
      out.push(s);
    },
    err: (s) => {
      out.push(s);
    },
    isTTY: false,
  };
  assert.equal(await main(["--version"], io), 0);
  assert.equal(await main(["--help"], io), 0);
  for (const name of ["fit", "predict", "plan", "import", "runs", "evaluate", "noise", "analyze"])
    assert.equal(await main([name, "--help"], io), 0, name);
  assert.ok(out.join("").includes("usage: scaleladder fit FILE"));
  assert.equal(duckDbLoaded(), false);
  // Nor does a fit of a small clean CSV: the JavaScript reader reads it.
  // (The toy ladder's checkpoints are all below the guide's 1e10-token cut: keep them.)
  const csv = writeTemp("ladder.csv", LADDER_CSV);
  assert.equal(await main(["fit", csv, "--min-tokens", "0"], io), 0, out.join(""));
  assert.match(out.join(""), /objective\s+huber-log/);
  assert.equal(duckDbLoaded(), false);
  // The check sees DuckDB once something loads it, so it can fail.
  await duck();
  assert.equal(duckDbLoaded(), true);
});
