import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import type { Io } from "../../src/cli/io.js";
import { COMMANDS, main } from "../../src/cli/main.js";
import { duck } from "../../src/data/duckdb.js";
import { LADDER_CSV, writeTemp } from "../data/files.js";
import { runCli, spawnCliModules } from "../fixtures/cli.js";

/** `--flag` tokens of a help text. */
const flagsIn = (help: string) =>
  new Set([...help.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));

for (const name of Object.keys(COMMANDS)) {
  test(`${name}: the help describes every flag the command accepts`, async () => {
    const command = await COMMANDS[name].load();
    const r = await runCli([name, "--help"]);
    assert.equal(r.code, 0);
    const described = flagsIn(r.out);
    const missing = Object.keys(command.flags).filter((f) => !described.has(f));
    assert.deepEqual(missing, [], `${name} --help leaves out ${missing.join(", ")}`);
  });

  test(`${name}: every flag its help shows as its own is accepted`, async () => {
    const command = await COMMANDS[name].load();
    const r = await runCli([name, "--help"]);
    // Rows start with two spaces (four under a corpus subcommand) and the flag.
    const rows = [...r.out.matchAll(/^ {2,4}--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]);
    assert.ok(rows.length > 0 || name === "laws" || name === "runs" || name === "import");
    const unknown = rows.filter((f) => !(f in command.flags));
    assert.deepEqual(unknown, [], `${name} --help shows ${unknown.join(", ")}, which it rejects`);
  });
}

test("scaleladder help CMD prints the command's help", async () => {
  const a = await runCli(["help", "plan"]);
  const b = await runCli(["plan", "--help"]);
  assert.equal(a.code, 0);
  assert.equal(a.out, b.out);
});

test("-v and --version print the version from package.json", async () => {
  const { readFileSync } = await import("node:fs");
  const { resolve } = await import("node:path");
  const { repoRoot } = await import("../fixtures/shared.js");
  const pkg = JSON.parse(readFileSync(resolve(repoRoot, "package.json"), "utf8"));
  for (const flag of ["-v", "--version"]) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.out, `scaleladder ${pkg.version}\n`);
  }
});

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

test("the top-level help lists every command without loading any of them", () => {
  const r = spawnCliModules(["--help"]);
  assert.equal(r.code, 0, r.err);
  for (const name of Object.keys(COMMANDS)) assert.match(r.out, new RegExp(`^  ${name} `, "m"));
  const commands = r.loaded.filter((u) => /\/src\/cli\/(?!main|io|command)[a-z-]+\.js$/.test(u));
  assert.deepEqual(commands, []);
  assert.ok(!r.loaded.some((u) => /vega|resvg|duckdb/.test(u)));
});
