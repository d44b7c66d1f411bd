import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "../fixtures/cli.js";
import { sharedDataDir, sharedSkip } from "../fixtures/shared.js";
import { tempDir } from "../fixtures/temp.js";
import { startUpstreamServer, type UpstreamServer } from "../fixtures/upstream-server.js";

const skip = sharedSkip("epoch-chinchilla") || sharedSkip("pythia-evals");
const temp = () => tempDir("scaleladder-corpus-cli-");

test("corpus --help lists the subcommands; a typo is a one-line usage error", async () => {
  const help = await runCli(["corpus", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /build \[NAME\.\.\.\]/);
  assert.match(help.out, /download \[NAME\.\.\.\]/);
  const typo = await runCli(["corpus", "lsit"]);
  assert.equal(typo.code, 2);
  assert.equal(
    typo.err,
    'scaleladder: corpus: unknown subcommand "lsit"; hint: did you mean "list"?\n',
  );
  const name = await runCli(["corpus", "list", "pythia"]);
  assert.equal(name.code, 2);
  assert.match(name.err, /unknown dataset "pythia"; hint: did you mean "pythia-evals"\?/);
});

test("corpus list shows families with model counts, size ranges and metrics", {
  skip,
}, async () => {
  const r = await runCli([
    "corpus",
    "list",
    "pythia-evals",
    "epoch-chinchilla",
    "--from",
    sharedDataDir,
  ]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split("\n");
  assert.match(lines[0], /^family\s+dataset\s+models\s+runs\s+ckpts\s+params\s+tokens\s+metrics$/);
  assert.match(
    r.out,
    /\npythia-deduped\s+pythia-evals\s+8\s+8\s+26\s+70\.4M–11\.8B\s+2\.1M–300B\s+lambada_openai_ppl, lambada_openai_ppl_5shot\n/,
  );
  assert.match(r.out, /\nepoch-chinchilla\s+epoch-chinchilla\s+245\s+245\s+1\s+57\.3M–16\.2B/);
  const j = JSON.parse(
    (await runCli(["corpus", "list", "pythia-evals", "--from", sharedDataDir, "--json"])).out,
  );
  assert.deepEqual(
    j.families.map((f: { family: string }) => f.family),
    ["pythia", "pythia-deduped"],
  );
  assert.equal(j.datasets[0].name, "pythia-evals");
  assert.ok(j.datasets[0].notes.length > 0);
});

test("corpus list without any data prints the catalogue and how to download", async () => {
  const r = await runCli(["corpus", "list", "--from", temp()]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /no corpus data in .*; available datasets:\n {2}epoch-chinchilla /);
  assert.match(r.out, /scaleladder corpus download/);
});

let srv: UpstreamServer;
before(async () => {
  if (!sharedSkip("epoch-chinchilla")) srv = await startUpstreamServer();
});
after(() => srv?.close());

test("corpus download fetches into the cache folder (origin from the environment)", {
  skip: sharedSkip("epoch-chinchilla"),
}, async () => {
  const cache = temp();
  process.env.SCALELADDER_CORPUS_ORIGIN = srv.origin;
  try {
    const r = await runCli([
      "corpus",
      "download",
      "epoch-chinchilla",
      "--cache",
      cache,
      "--no-build",
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^epoch-chinchilla\s+1 files verified, 1 fetched \(0\.0 MB\)/);
    assert.ok(existsSync(join(cache, "epoch-chinchilla/svg_extracted_data.csv")));
    const listed = await runCli(["corpus", "list", "--from", cache]);
    assert.match(listed.out, /epoch-chinchilla\s+epoch-chinchilla\s+245/);
    assert.match(listed.out, /not found: pythia-evals/);
    srv.faults.set(srv.urlPath("epoch-chinchilla", "svg_extracted_data.csv"), "corrupt");
    const bad = await runCli([
      "corpus",
      "download",
      "epoch-chinchilla",
      "--cache",
      temp(),
      "--no-build",
    ]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /^scaleladder: epoch-chinchilla\/svg_extracted_data\.csv: sha256 mismatch: .*; hint: nothing was cached/,
    );
    assert.equal(bad.err.split("\n").length, 2);
  } finally {
    delete process.env.SCALELADDER_CORPUS_ORIGIN;
    srv.faults.clear();
  }
});

test("corpus build writes datasets into the store once; list --db shows them", {
  skip: sharedSkip("epoch-chinchilla") || sharedSkip("sldbench-github"),
}, async () => {
  const db = join(temp(), "corpus.duckdb");
  const args = [
    "corpus",
    "build",
    "epoch-chinchilla",
    "sldbench-github",
    "--from",
    sharedDataDir,
    "--db",
    db,
  ];
  const first = await runCli(args);
  assert.equal(first.code, 0, first.err);
  assert.match(
    first.out,
    /^epoch-chinchilla\s+245 rows \(245 new, 0 already stored\)\nsldbench-github\s+5204 rows \(5204 new, 0 already stored\)\nwrote 5449 rows of 4 families to /,
  );
  const again = await runCli(args);
  assert.match(again.out, /epoch-chinchilla\s+245 rows \(0 new, 245 already stored\)/);
  const listed = await runCli(["corpus", "list", "--db", db]);
  assert.equal(listed.code, 0, listed.err);
  assert.match(
    listed.out,
    /\nsldbench-data-constrained\s+sldbench-github\s+182\s+182\s+1\s+7\.1M–8\.67B/,
  );
  assert.match(listed.out, /\nepoch-chinchilla\s+epoch-chinchilla\s+245/);
});

test("corpus build --out writes Parquet; --db with --out is a usage error", {
  skip: sharedSkip("epoch-chinchilla"),
}, async () => {
  const out = join(temp(), "corpus.parquet");
  const r = await runCli([
    "corpus",
    "build",
    "epoch-chinchilla",
    "--from",
    sharedDataDir,
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(out).subarray(0, 4).toString("latin1"), "PAR1");
  const both = await runCli(["corpus", "build", "--db", "a.duckdb", "--out", out]);
  assert.equal(both.code, 2);
  assert.match(both.err, /give --db or --out, not both/);
});

test("corpus download then builds the store from the cache", {
  skip: sharedSkip("epoch-chinchilla"),
}, async () => {
  const cache = temp();
  const db = join(cache, "store.duckdb");
  process.env.SCALELADDER_CORPUS_ORIGIN = srv.origin;
  try {
    const r = await runCli([
      "corpus",
      "download",
      "epoch-chinchilla",
      "--cache",
      cache,
      "--db",
      db,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /1 fetched[^\n]*\nepoch-chinchilla\s+245 rows \(245 new, 0 already stored\)\nwrote 245 rows of 1 families to /,
    );
  } finally {
    delete process.env.SCALELADDER_CORPUS_ORIGIN;
  }
});
