import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { LADDER_CSV, tempDir, writeTemp } from "../data/files.js";
import { runCli, spawnCli } from "../fixtures/cli.js";

test("import adds a file once; importing it again adds nothing", async () => {
  const db = join(tempDir(), "runs.duckdb");
  const file = writeTemp("ladder.csv", LADDER_CSV);
  const a = await runCli(["import", file, "--db", db]);
  assert.equal(a.code, 0, a.err);
  assert.match(a.out, /imported 12 rows from .*ladder\.csv into .*runs\.duckdb/);
  const b = await runCli(["import", file, "--db", db, "--json"]);
  assert.equal(b.code, 0, b.err);
  assert.deepEqual(JSON.parse(b.out).inserted, 0);
  assert.deepEqual(JSON.parse(b.out).skipped, 12);
});

test("a bad file exits 2 with one line per problem and leaves the store byte-for-byte as it was", async () => {
  const db = join(tempDir(), "runs.duckdb");
  assert.equal((await runCli(["import", writeTemp("ladder.csv", LADDER_CSV), "--db", db])).code, 0);
  const size = statSync(db).size;
  const bad = writeTemp("bad.csv", "model,params,tokens,loss\na,1e8,1e9,x\nb,-1,1e9,3\n");
  const r = await runCli(["import", bad, "--db", db]);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /^scaleladder: bad\.csv|^scaleladder: .*bad\.csv:2:4: loss is not a finite number \("x"\); hint: /,
  );
  assert.doesNotMatch(r.err, /\n\s+at /);
  assert.equal(statSync(db).size, size);
  const fresh = join(tempDir(), "never.duckdb");
  assert.equal((await runCli(["import", bad, "--db", fresh])).code, 2);
  assert.equal(existsSync(fresh), false, "a refused import creates no store");
});

test("import --family names the family; runs lists families and models, as text and JSON", async () => {
  const db = join(tempDir(), "runs.duckdb");
  const file = writeTemp(
    "plain.csv",
    "model,params,tokens,loss,step\na,125M,1e9,3.5,1\na,125M,2e9,3.3,2\nb,1.3B,1e9,3.1,1\n",
  );
  assert.equal((await runCli(["import", file, "--db", db, "--family", "mine"])).code, 0);
  const text = await runCli(["runs", "--db", db]);
  assert.equal(text.code, 0, text.err);
  assert.match(
    text.out,
    /family \/ model\s+params\s+tokens\s+checkpoints\s+seeds\s+rows\s+metrics/,
  );
  assert.match(text.out, /mine\s+125M–1\.3B\s+1B–2B\s+2 models\s+1\s+3\s+loss/);
  assert.match(text.out, /\n {2}a\s+125M\s+1B–2B\s+2\s+1\s+2/);
  const json = JSON.parse(
    (await runCli(["runs", "--db", db, "--json", "--where", "params > 1e9"])).out,
  );
  assert.deepEqual(
    json.families.map((f: { family: string; models: { model: string }[] }) => [
      f.family,
      f.models.map((m) => m.model),
    ]),
    [["mine", ["b"]]],
  );
  const direct = await runCli(["runs", file]);
  assert.match(direct.out, /plain\s+125M–1\.3B|\(no family\)\s+125M–1\.3B/);
});

test("fit and predict read the store with --db and --where", async () => {
  const db = join(tempDir(), "runs.duckdb");
  assert.equal((await runCli(["import", writeTemp("ladder.csv", LADDER_CSV), "--db", db])).code, 0);
  const r = await runCli([
    "fit",
    "--db",
    db,
    "--where",
    "step >= 2000",
    "--law",
    "kaplan-n",
    "--min-tokens",
    "0",
    "--json",
    "--no-timing",
  ]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).n, 9);
  const both = await runCli(["fit", writeTemp("x.csv", LADDER_CSV), "--db", db]);
  assert.equal(both.code, 2);
  assert.match(both.err, /give FILE or --db, not both/);
  const none = await runCli(["runs", "--db", join(tempDir(), "missing.duckdb")]);
  assert.equal(none.code, 2);
  assert.match(
    none.err,
    /no store here yet; hint: create it with scaleladder import FILE --db \S+missing\.duckdb/,
  );
  // The library names the store's path `db`; the CLI writes its flag.
  const notStore = await runCli(["runs", "--db", writeTemp("x.duckdb", "hello")]);
  assert.equal(notStore.code, 2);
  assert.match(notStore.err, /not a scaleladder store .*; hint: give --db a \.duckdb file/);
});

test("a value that conflicts with the store's names the import's --family in the hint", async () => {
  const db = join(tempDir(), "s.duckdb");
  assert.equal((await runCli(["import", writeTemp("ladder.csv", LADDER_CSV), "--db", db])).code, 0);
  const changed = LADDER_CSV.replace("toy,s,125M,1e9,3.9,", "toy,s,125M,1e9,3.95,");
  assert.notEqual(changed, LADDER_CSV);
  const r = await runCli(["import", writeTemp("ladder.csv", changed), "--db", db]);
  assert.equal(r.code, 2, r.err);
  assert.match(
    r.err,
    /already stored with a different value.*hint: fix the file, or import it under another family \(--family\)/,
  );
  assert.doesNotMatch(r.err, /`/);
});

test("the binary: import and runs --help, and a bad file's one-line error with exit 2", () => {
  for (const cmd of ["import", "runs"]) {
    const h = spawnCli([cmd, "--help"]);
    assert.equal(h.code, 0, h.err);
    assert.match(h.out, new RegExp(`usage: scaleladder ${cmd}`));
  }
  const r = spawnCli(["import", writeTemp("e.csv", ""), "--db", join(tempDir(), "x.duckdb")]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^scaleladder: .*e\.csv: file is empty; hint: .*\n$/);
});
