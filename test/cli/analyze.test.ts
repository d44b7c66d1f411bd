import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, spawnCli } from "../fixtures/cli.js";
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

test("three shards in separate processes, merged, write the bytes of one run", () => {
  const root = tempDir("scaleladder-shards-");
  const base = ["analyze", "--builtin", "--experiment", "grid,window,borrow,baselines,params"];
  const one = spawnCli([...base, "--out", join(root, "one"), "--workers", "1"]);
  assert.equal(one.code, 0, one.err);
  const shards = [1, 2, 3].map((i) => join(root, `shard${i}`));
  const written = shards.map((dir, i) => {
    const r = spawnCli([...base, "--shard", `${i + 1}/3`, "--out", dir, "--workers", "1"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`shard ${i + 1}/3`));
    return readdirSync(join(dir, "chunks")).length;
  });
  assert.deepEqual(written, [2, 2, 1]); // 5 chunks dealt round-robin
  // Missing a shard is an error naming the count, not a silently partial table.
  const partial = spawnCli([
    ...base,
    "--merge",
    shards.slice(0, 2).join(","),
    "--out",
    join(root, "bad"),
  ]);
  assert.equal(partial.code, 2);
  assert.match(partial.err, /1 of 5 chunks are in none of the shard folders/);
  const merged = spawnCli([...base, "--merge", shards.join(","), "--out", join(root, "merged")]);
  assert.equal(merged.code, 0, merged.err);
  const files = readdirSync(join(root, "one")).filter((f) => f !== "chunks");
  assert.deepEqual(
    readdirSync(join(root, "merged")).filter((f) => f !== "chunks"),
    files,
  );
  assert.ok(files.includes("summary.json") && files.includes("grid.csv"));
  for (const f of files)
    assert.ok(
      readFileSync(join(root, "one", f)).equals(readFileSync(join(root, "merged", f))),
      `${f} differs`,
    );
});

test("analyze --law fits another law under the default protocol only", async () => {
  const r = await runCli([
    "analyze",
    "--builtin",
    "--law",
    "hitchhiker-tied",
    "--protocol",
    "both",
  ]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--law applies to the default protocol only/);
  const bad = await runCli(["analyze", "--builtin", "--law", "chinchila"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /did you mean "chinchilla"/);
});
