import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { chinchilla } from "../../src/laws/chinchilla.js";
import { dataConstrained, MUENNIGHOFF_PUBLISHED as P } from "../../src/laws/data-constrained.js";
import { makeColumns } from "../../src/laws/types.js";
import { runCli } from "../fixtures/cli.js";
import { tempDir } from "../fixtures/temp.js";

function temp(): string {
  return tempDir("plan-data-");
}

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/**
 * Rows (N, D, U) of repeated-epoch runs with the loss of Muennighoff et al.'s published law. U
 * cycles through three values row by row, so rows shifted by one or two get other unique tokens
 * (fitting such a shifted table gives R*_D ≈ 7e7 instead of 15.4).
 */
function datablations(): { N: number; D: number; U: number; loss: number }[] {
  const out: { N: number; D: number; U: number; loss: number }[] = [];
  for (const N of [1e8, 3e8, 1e9, 3e9])
    for (const epochs of [1, 2, 4, 8, 16, 40])
      for (const U of [1e9, 2e9, 4e9]) out.push({ N, D: U * epochs, U, loss: 0 });
  const theta = Float64Array.from([P.E, P.A, P.B, P.alpha, P.beta, P.RNstar, P.RDstar]);
  const loss = new Float64Array(out.length);
  const x = makeColumns(
    out.map((r) => r.N),
    out.map((r) => r.D),
    undefined,
    out.map((r) => r.U),
  );
  dataConstrained.predict(theta, x, loss);
  return out.map((r, i) => ({ ...r, loss: loss[i] }));
}

/**
 * A file of those runs whose first rows fail `--where "loss < 10"` and carry other unique tokens:
 * matching unique tokens to rows by file position would shift every run by two.
 */
function datablationsCsv(dir: string): string {
  const rows = datablations().map((r, i) => `m${i},${r.N},${r.D},${r.U},${r.loss}`);
  return write(
    join(dir, "dc.csv"),
    ["model,params,tokens,unique_tokens,loss", "x1,1e8,1e9,5e10,99", "x2,1e8,2e9,6e10,99", ...rows]
      .join("\n")
      .concat("\n"),
  );
}

/** The fitted decay constants agree with those the data were made with. */
function assertRecovered(out: string): void {
  const j = JSON.parse(out);
  assert.equal(j.law, "data-constrained");
  assert.ok(Math.abs(j.params.RDstar / P.RDstar - 1) < 1e-3, `R*_D ${j.params.RDstar}`);
  assert.ok(Math.abs(j.params.RNstar / P.RNstar - 1) < 1e-3, `R*_N ${j.params.RNstar}`);
}

test("plan --approach data-constrained pairs unique tokens with their rows after --where", async () => {
  const file = datablationsCsv(temp());
  const r = await runCli([
    "plan",
    file,
    "--approach",
    "data-constrained",
    "--where",
    "loss < 10",
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  assertRecovered(r.out);
});

test("plan --approach data-constrained from --db after import", async () => {
  const dir = temp();
  const db = join(dir, "s.duckdb");
  const file = datablationsCsv(dir);
  const imported = await runCli(["import", file, "--db", db, "--where", "loss < 10"]);
  assert.equal(imported.code, 0, imported.err);
  const r = await runCli(["plan", "--db", db, "--approach", "data-constrained", "--json"]);
  assert.equal(r.code, 0, r.err);
  assertRecovered(r.out);
});

test("plan --approach data-constrained from --db after corpus build (SLDBench's swapped columns)", async () => {
  const root = temp();
  const sld = join(root, "sldbench-github");
  // The SLDBench file names the columns the other way round (docs/planning.md): `unique_tokens`
  // holds the tokens trained, `tokens` the unique tokens.
  write(
    join(sld, "data_constrained_scaling_law/data.csv"),
    `id,params,unique_tokens,tokens,loss\n${datablations()
      .map((r, i) => `r${i},${r.N},${r.D},${r.U},${r.loss}`)
      .join("\n")}\n`,
  );
  write(
    join(sld, "lr_scaling_law/dense_lr_bs_loss.csv"),
    "N,D,loss,smooth loss,exp_name\n2e8,4e9,3.1,3.11,e1\n",
  );
  write(
    join(sld, "vocab_scaling_law/data.csv"),
    "vocab_size,embed_dim,Non_vocab_parameters,FLOPs,Lossu\n4096,512,3e7,1e18,-1.5\n",
  );
  const db = join(root, "corpus.duckdb");
  const built = await runCli(["corpus", "build", "sldbench-github", "--from", root, "--db", db]);
  assert.equal(built.code, 0, built.err);
  // The other families have no unique tokens: say so rather than fit U = D for them.
  const mixed = await runCli(["plan", "--db", db, "--approach", "data-constrained"]);
  assert.equal(mixed.code, 2);
  assert.match(
    mixed.err,
    /no unique tokens for model .*hint: .*--where "unique_tokens IS NOT NULL"/,
  );
  const r = await runCli([
    "plan",
    "--db",
    db,
    "--approach",
    "data-constrained",
    "--where",
    "family = 'sldbench-data-constrained'",
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  assertRecovered(r.out);
});

test("plan --approach 2 --budget-col groups by each row's own budget after --where", async () => {
  const t = Float64Array.from([1.69, 406.4, 410.7, 0.34, 0.28]);
  const rows: string[] = [
    "model,params,tokens,loss,budget",
    "x1,1e8,1e9,99,5e21",
    "x2,2e8,1e9,99,5e21",
  ];
  for (const C of [1e18, 1e19, 1e20]) {
    const nOpt = Math.sqrt(C / 6 / 20);
    for (let k = -3; k <= 3; k++) {
      const N = nOpt * 10 ** (k / 4);
      const D = C / (6 * N);
      const loss = new Float64Array(1);
      chinchilla.predict(t, makeColumns([N], [D]), loss);
      rows.push(`C${C}-${k},${N},${D},${loss[0]},${C}`);
    }
  }
  const dir = temp();
  const file = write(join(dir, "iso.csv"), `${rows.join("\n")}\n`);
  const args = ["plan", file, "--approach", "2", "--budget-col", "budget", "--where", "loss < 10"];
  const r = await runCli([...args, "--json"]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(
    j.profiles.map((p: { flops: number; n: number }) => [p.flops, p.n]),
    [
      [1e18, 7],
      [1e19, 7],
      [1e20, 7],
    ],
  );
  // The store keeps only canonical columns: --budget-col needs the file.
  const db = await runCli([
    "plan",
    "--db",
    join(dir, "s.duckdb"),
    "--approach",
    "2",
    "--budget-col",
    "budget",
  ]);
  assert.equal(db.code, 2);
  assert.match(db.err, /--budget-col needs FILE/);
});

test("a budget the approach would ignore is refused before any file is read", async () => {
  for (const [approach, re] of [
    ["1", /a budget does nothing with --approach 1; hint: --approach 3/],
    ["2", /a budget does nothing with --approach 2; hint: --approach 3/],
    [
      "data-constrained",
      /a budget does nothing with --approach data-constrained without --unique-tokens/,
    ],
  ] as const) {
    const r = await runCli([
      "plan",
      "no-such-file.csv",
      "--approach",
      approach,
      "--budget",
      "1e22",
    ]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
  }
});

test("interval flags the approach would ignore are refused before any file is read", async () => {
  for (const [args, re] of [
    [["--approach", "2", "--level", "0.9"], /--level does nothing without --bootstrap K/],
    [["--approach", "3", "--seed", "3"], /--seed does nothing without --bootstrap K/],
    [["--approach", "1", "--bootstrap", "100"], /--bootstrap does nothing with --approach 1/],
  ] as const) {
    const r = await runCli(["plan", "no-such-file.csv", ...args]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
  }
});
