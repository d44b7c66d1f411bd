import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { repoRoot } from "../fixtures/shared.js";

test("writing to a closed pipe (scaleladder laws | head -1) exits quietly with 0", async () => {
  for (const argv of [["laws"], ["--help"], ["plan", "--help"]]) {
    const child = spawn(process.execPath, [resolve(repoRoot, "bin/scaleladder.js"), ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Close the read end before node has started, as `head` does once it has its line.
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    assert.equal(err, "", `${argv.join(" ")}: ${err}`);
    assert.equal(code, 0, argv.join(" "));
  }
});

test("one program prefix per error line", async () => {
  const r = await runCli(["fit"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^scaleladder: fit: no input file given; hint: /);
  assert.doesNotMatch(r.err, /scaleladder: scaleladder/);
});
