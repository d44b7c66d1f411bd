import assert from "node:assert/strict";
import { test } from "node:test";
import { writeTemp } from "../data/files.js";
import { runCli } from "../fixtures/cli.js";

test("runs sorts models by size, then naturally; --long lists every row", async () => {
  const file = writeTemp(
    "sweep.csv",
    "model,params,tokens,loss,step\nT1000,1e8,1e9,3.5,1\nT200,1e8,1e9,3.6,1\nbig,1e9,1e9,3.1,1\nT200,1e8,2e9,3.4,2\n",
  );
  const r = await runCli(["runs", file, "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    JSON.parse(r.out).families[0].models.map((m: { model: string }) => m.model),
    ["T200", "T1000", "big"],
  );
  const long = await runCli(["runs", file, "--long"]);
  assert.equal(long.code, 0, long.err);
  assert.deepEqual(
    long.out
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/).slice(1, 2).join()),
    ["model", "T200", "T200", "T1000", "big"],
  );
  assert.match(long.out, /^sweep\s+T200\s+0\s+loss\s+100M\s+2B\s+2\s+3\.4$/m);
});
