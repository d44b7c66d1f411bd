import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { openMemoryDb, sqlString } from "../../src/data/duckdb.js";
import { openStore } from "../../src/data/store.js";
import { InputError } from "../../src/errors.js";
import { runCli } from "../fixtures/cli.js";
import { LADDER_CSV, tempDir, writeTemp } from "./files.js";

/** A ladder of `models` × `steps` checkpoints, as CSV (big enough to need megabytes in a store). */
function bigCsv(models: number, steps: number, family = "big"): string {
  const lines = ["family,model,params,tokens,loss,step"];
  // Full-precision noise (mulberry32, seeded) so the rows compress as real losses do.
  let a = 7;
  const noise = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let m = 0; m < models; m++)
    for (let s = 1; s <= steps; s++)
      lines.push(`${family},m${m},${(m + 1) * 1e7},${s * 1e7},${2 + 1 / s + noise() / 100},${s}`);
  return `${lines.join("\n")}\n`;
}

async function storeWithLadder(): Promise<string> {
  const db = join(tempDir(), "s.duckdb");
  const r = await runCli(["import", writeTemp("ladder.csv", LADDER_CSV), "--db", db]);
  assert.equal(r.code, 0, r.err);
  return db;
}

const oneLine = (r: { err: string }) => assert.equal(r.err.trim().split("\n").length, 1, r.err);

test('a damaged store is named as damaged, not as busy ("block" is not a lock), exit 2', async () => {
  const db = await storeWithLadder();
  const b = readFileSync(db);
  for (let i = 8192; i < b.length; i += 97) b[i] ^= 0x5a;
  writeFileSync(db, b);
  for (const argv of [["runs"], ["import", writeTemp("l.csv", LADDER_CSV)], ["fit"]]) {
    const r = await runCli([...argv, "--db", db]);
    assert.equal(r.code, 2, `${argv[0]}: ${r.err}`);
    assert.match(
      r.err,
      /s\.duckdb: the store is damaged or not a scaleladder store: .*hint: .*restore it from a backup/,
    );
    assert.doesNotMatch(r.err, /another scaleladder process/);
    oneLine(r);
  }
});

test("a foreign DuckDB file is refused before anything in it changes, with or without a runs table", async () => {
  for (const ddl of [
    "CREATE TABLE f.runs (x INTEGER, family VARCHAR); INSERT INTO f.runs VALUES (1, 'q')",
    "CREATE TABLE f.things (x INTEGER); INSERT INTO f.things VALUES (1)",
  ]) {
    const db = join(tempDir(), "foreign.duckdb");
    const m = await openMemoryDb();
    try {
      await m.conn.run(`ATTACH ${sqlString(db)} AS f; ${ddl}; DETACH f`);
    } finally {
      m.close();
    }
    const bytes = readFileSync(db);
    for (const argv of [["import", writeTemp("l.csv", LADDER_CSV)], ["runs"]]) {
      const r = await runCli([...argv, "--db", db]);
      assert.equal(r.code, 2, r.err);
      assert.match(
        r.err,
        /foreign\.duckdb: a DuckDB database (whose runs table is not scaleladder's|without scaleladder runs)/,
      );
      oneLine(r);
    }
    assert.ok(readFileSync(db).equals(bytes), "the foreign file was altered");
    assert.equal(existsSync(`${db}.wal`), false);
  }
});

/** A tiny tmpfs (needs root), so the disk really fills; skipped with a message elsewhere. */
const mnt = join(tempDir(), "tmpfs");
let mounted = false;
before(() => {
  if (process.platform !== "linux") return;
  spawnSync("mkdir", ["-p", mnt]);
  mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt]).status === 0;
});
after(() => {
  if (mounted) spawnSync("umount", [mnt]);
});
const noTmpfs = () => (mounted ? false : "needs root to mount a small tmpfs (mount -t tmpfs)");

/** Fills the tmpfs until `free` bytes are left. */
function fillTo(free: number): string {
  const filler = join(mnt, "filler");
  const st = spawnSync("df", ["-B1", "--output=avail", mnt], { encoding: "utf8" });
  const avail = Number(st.stdout.trim().split("\n").pop());
  writeFileSync(filler, Buffer.alloc(Math.max(0, avail - free)));
  return filler;
}

test("full disk: a commit that cannot be written imports nothing, says so, and the store still reads", {
  skip: noTmpfs(),
}, async () => {
  const db = join(mnt, "a.duckdb");
  const big = writeTemp("big.csv", bigCsv(50, 1000));
  try {
    assert.equal((await runCli(["import", writeTemp("l.csv", LADDER_CSV), "--db", db])).code, 0);
    const before = (await runCli(["runs", "--db", db, "--json"])).out;
    fillTo(1 << 20);
    const r = await runCli(["import", big, "--db", db]);
    assert.equal(r.code, 2, r.err);
    assert.match(
      r.err,
      /a\.duckdb: nothing was imported: no space left on the device; hint: the store is as it was/,
    );
    oneLine(r);
    const reads = await runCli(["runs", "--db", db, "--json"]);
    assert.equal(reads.code, 0, reads.err);
    assert.equal(reads.out, before);
  } finally {
    rmSync(join(mnt, "filler"), { force: true });
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
});

test("full disk: rows committed before a failed checkpoint are reported as imported, read, and folded in later", {
  skip: noTmpfs(),
}, async () => {
  const db = join(mnt, "b.duckdb");
  const big = writeTemp("big.csv", bigCsv(50, 1000));
  try {
    assert.equal((await runCli(["import", writeTemp("l.csv", LADDER_CSV), "--db", db])).code, 0);
    // The disk fills between the commit (the rows are in the write-ahead log) and the checkpoint.
    const s = await openStore(db, { afterCommit: () => fillTo(0) });
    const imported = await s.importFile(big);
    assert.equal(imported.inserted, 50_000);
    await assert.rejects(s.close(), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(
        e.message,
        /b\.duckdb: the rows were imported and committed to the store's log \(.*b\.duckdb\.wal\), but folding it into the file failed: no space left on the device; hint: nothing is lost and reads work/,
      );
      return !e.message.includes("\n");
    });
    const reads = await runCli(["runs", "--db", db, "--json"]);
    assert.equal(reads.code, 0, reads.err);
    assert.match(reads.out, /"family": "big"/);
    rmSync(join(mnt, "filler"));
    // With room again, the next import replays the log, adds nothing, and folds it in.
    const again = await runCli(["import", big, "--db", db, "--json"]);
    assert.equal(again.code, 0, again.err);
    assert.equal(JSON.parse(again.out).inserted, 0);
    assert.equal(existsSync(`${db}.wal`), false);
  } finally {
    rmSync(join(mnt, "filler"), { force: true });
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
});

test("a store left larger by a killed import is compacted by the next import, rows intact", async () => {
  // A kill -9 during the insert leaves written blocks past the end DuckDB knows of (measured:
  // 0.5 → 6.3 MB for the same 2 rows); appending unused bytes makes the same file shape at once.
  const db = await storeWithLadder();
  const before = (await runCli(["runs", "--db", db, "--json"])).out;
  const clean = statSync(db).size;
  appendFileSync(db, Buffer.alloc(12 << 20));
  assert.equal((await runCli(["runs", "--db", db, "--json"])).out, before, "reads ignore the tail");
  const r = await runCli(["import", writeTemp("l.csv", LADDER_CSV), "--db", db, "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).inserted, 0);
  assert.ok(statSync(db).size <= clean, `${statSync(db).size} > ${clean}`);
  assert.equal((await runCli(["runs", "--db", db, "--json"])).out, before);
  assert.deepEqual(readdirSync(dirname(db)), ["s.duckdb"], "no stray copy or log left");
});

test("an import into a store with a damaged data block is refused, not reported as done; reads say damaged", async () => {
  // Before: "imported 2 rows" into a store whose blocks fail their checksums, and runs exited 1.
  const db = join(tempDir(), "d.duckdb");
  assert.equal(
    (await runCli(["import", writeTemp("big.csv", bigCsv(50, 1000)), "--db", db])).code,
    0,
  );
  const b = readFileSync(db);
  for (const at of [300_000, 600_000, 1_000_000]) for (let i = at; i < at + 64; i++) b[i] ^= 0xff;
  writeFileSync(db, b);
  const file = writeTemp(
    "n.csv",
    "family,model,params,tokens,loss\nnew,a,1e8,1e9,3.1\nnew,b,2e8,1e9,3.0\n",
  );
  const r = await runCli(["import", file, "--db", db]);
  assert.equal(r.code, 2, r.err);
  assert.match(
    r.err,
    /d\.duckdb: the store is damaged or not a scaleladder store: Corrupt database file.*hint: nothing was imported; restore it from a backup/,
  );
  oneLine(r);
  assert.ok(readFileSync(db).equals(b), "the damaged file was written to");
  for (const argv of [["runs"], ["runs", "--json"], ["fit", "--law", "power"]]) {
    const q = await runCli([...argv, "--db", db]);
    assert.equal(q.code, 2, q.err);
    assert.match(q.err, /the store is damaged/);
    oneLine(q);
  }
});
