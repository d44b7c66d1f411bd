import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { duckPath } from "../../src/data/input.js";
import { loadRuns } from "../../src/data/load.js";
import { tempDir } from "../data/files.js";
import { runCli } from "../fixtures/cli.js";
import { repoRoot } from "../fixtures/shared.js";

const runsOf = (model: string, params: number) =>
  `model,params,tokens,loss\n${model},${params},1e9,3.5\n${model},${params},2e9,3.3\n`;

const BIN = resolve(repoRoot, "bin/scaleladder.js");

test("a path names one file: runs[1].csv is read as named, never as the pattern matching runs1.csv", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "runs1.csv"), runsOf("wrong", 1e8));
  writeFileSync(join(dir, "runs[1].csv"), runsOf("right", 2e8));
  const t = await loadRuns(join(dir, "runs[1].csv"));
  assert.deepEqual([...new Set(t.model)], ["right"]);
  const r = await runCli(["runs", join(dir, "runs[1].csv"), "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    JSON.parse(r.out).families[0].models.map((m: { model: string }) => m.model),
    ["right"],
  );
});

test("import 'glob*.csv' stores only the file of that name when it exists", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "globA.csv"), runsOf("a", 1e8));
  writeFileSync(join(dir, "glob*.csv"), runsOf("star", 3e8));
  const db = join(dir, "s.duckdb");
  const r = await runCli(["import", join(dir, "glob*.csv"), "--db", db, "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).inserted, 2);
  assert.doesNotMatch(r.err, /reading/);
  const listed = await runCli(["runs", "--db", db, "--json"]);
  assert.deepEqual(
    JSON.parse(listed.out).families[0].models.map((m: { model: string }) => m.model),
    ["star"],
  );
});

test("DuckDB sees glob characters inside one-character classes", () => {
  assert.equal(duckPath("/d/runs[1]*?.csv"), "/d/runs[[]1][*][?].csv");
  assert.equal(duckPath("/d/~x.csv"), "/d/~x.csv");
});

test("a named pipe is read as a stream, as standard input is, instead of hanging", async () => {
  const dir = tempDir();
  const fifo = join(dir, "runs.csv");
  const made = spawnSync("mkfifo", [fifo]);
  if (made.status !== 0) return; // no mkfifo on this system
  // The writer opens the pipe only once the reader does, as a shell's `cmd > fifo` would.
  const writer = spawn(process.execPath, [
    "-e",
    `require("fs").writeFileSync(${JSON.stringify(fifo)}, ${JSON.stringify(runsOf("piped", 1e8))})`,
  ]);
  const r = await new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const c = spawn(process.execPath, [BIN, "runs", fifo, "--json"]);
    let out = "";
    let err = "";
    c.stdout.on("data", (d) => {
      out += d;
    });
    c.stderr.on("data", (d) => {
      err += d;
    });
    const timer = setTimeout(() => c.kill("SIGKILL"), 30_000);
    c.on("close", (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
  writer.kill();
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).families[0].models[0].model, "piped");
});

test("an unreadable file exits 2 with one line, not 1", () => {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const file = join(dir, "secret.csv");
  writeFileSync(file, runsOf("a", 1e8));
  chmodSync(file, 0o000);
  // root reads anything: run the binary as nobody (65534) then, which cannot.
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  for (const argv of [
    ["fit", file],
    ["runs", file],
  ]) {
    const r = spawnSync(process.execPath, [BIN, ...argv], {
      encoding: "utf8",
      timeout: 30_000,
      ...asNobody,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /secret\.csv: cannot read file \(permission denied\); hint: /);
  }
});
