import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { tempDir } from "../data/files.js";
import { runCli } from "../fixtures/cli.js";
import { repoRoot } from "../fixtures/shared.js";
import {
  EVAL_ROWS_PER_RUN,
  NON_EVAL_ROWS_PER_RUN,
  WANDB_METRIC,
  WANDB_RUNS,
  writeWandbFolder,
} from "../fixtures/wandb.js";

const LADDER = `model,params,tokens,loss
a,1e8,1e9,3.5
a,1e8,2e9,3.3
b,2e8,1e9,3.3
b,2e8,2e9,3.1
`;

/** The binary, fed `input` on standard input. */
function spawnWith(argv: string[], input: string | Buffer) {
  const r = spawnSync(process.execPath, [resolve(repoRoot, "bin/scaleladder.js"), ...argv], {
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test("W&B one-file-per-run export with a manifest: empty metric cells and step 0 skipped and counted", async () => {
  const dir = tempDir();
  writeWandbFolder(dir, true);
  const db = join(dir, "store.duckdb");
  const r = await runCli([
    "import",
    join(dir, "ladder-*.csv"),
    "--manifest",
    join(dir, "runs.csv"),
    "--metric",
    WANDB_METRIC,
    "--db",
    db,
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).inserted, WANDB_RUNS.length * EVAL_ROWS_PER_RUN);
  assert.match(r.err, /reading 4 files: .*ladder-150M\.csv/);
  assert.match(
    r.err,
    new RegExp(
      `skipped ${WANDB_RUNS.length * NON_EVAL_ROWS_PER_RUN} rows with no ${WANDB_METRIC} \\(--strict refuses them\\)`,
    ),
  );
  // The store holds the manifest's sizes ("20M") under the file stems, in the manifest's family.
  const runs = await runCli(["runs", "--db", db, "--json"]);
  const fam = JSON.parse(runs.out).families;
  assert.deepEqual(
    fam.map((f: { family: string }) => f.family),
    ["wandb"],
  );
  assert.deepEqual(
    fam[0].models.map((m: { model: string; params: number }) => [m.model, m.params]),
    WANDB_RUNS.map((w) => [w.name, w.params]),
  );

  // The train loss is logged at step 0 with tokens 0: an untrained checkpoint, skipped and said.
  const train = await runCli([
    "fit",
    join(dir, "ladder-*.csv"),
    "--manifest",
    join(dir, "runs.csv"),
    "--metric",
    "train/loss",
    "--law",
    "chinchilla",
    // The toy runs end below the guide's 1e10-token cut: keep every checkpoint.
    "--min-tokens",
    "0",
    "--json",
  ]);
  assert.equal(train.code, 0, train.err);
  assert.match(train.err, /skipped 4 untrained checkpoints \(tokens = 0\)/);
  assert.equal(JSON.parse(train.out).settings.data.rows, 4 * 100);

  // --strict refuses the same files, naming the first empty cell.
  const strict = await runCli([
    "fit",
    join(dir, "ladder-*.csv"),
    "--manifest",
    join(dir, "runs.csv"),
    "--metric",
    WANDB_METRIC,
    "--strict",
  ]);
  assert.equal(strict.code, 2);
  assert.match(strict.err, /ladder-150M\.csv:2:6: eval\/c4\/CrossEntropyLoss is empty/);
});

test("one file per run without a manifest: the file stem names the model", async () => {
  const dir = tempDir();
  const files = writeWandbFolder(dir, false);
  const r = await runCli(["runs", ...files, "--metric", WANDB_METRIC, "--json"]);
  assert.equal(r.code, 0, r.err);
  const models = JSON.parse(r.out).families[0].models;
  assert.deepEqual(
    models.map((m: { model: string; checkpoints: number }) => [m.model, m.checkpoints]),
    WANDB_RUNS.map((w) => [w.name, EVAL_ROWS_PER_RUN]),
  );
});

test("--where runs first over every column of an lm-eval long file", async () => {
  const lines = ["model,params,tokens,task,shots,metric,value,stderr"];
  const tasks = ["lambada_openai", "hellaswag"];
  for (const [m, p] of [
    ["p160m", 160e6],
    ["p410m", 410e6],
  ] as const)
    for (const step of [1, 2, 3])
      for (const task of tasks)
        for (const shots of [0, 5])
          lines.push(
            `${m},${p},${step * 1e10},${task},${shots},acc,${(0.3 + step / 100 + shots / 1000).toFixed(3)},0.01`,
          );
  // A summary row with text in a number cell: an error unless the filter drops it first.
  lines.push("p410m,410e6,final,lambada_openai,25,acc,0.5,0.01");
  const dir = tempDir();
  const file = join(dir, "lm-eval.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const where = "task = 'lambada_openai' AND shots = 0";
  const r = await runCli(["runs", file, "--where", where, "--json"]);
  assert.equal(r.code, 0, r.err);
  const models = JSON.parse(r.out).families[0].models;
  assert.deepEqual(
    models.map((m: { model: string; checkpoints: number }) => [m.model, m.checkpoints]),
    [
      ["p160m", 3],
      ["p410m", 3],
    ],
  );
  // Numbers compare as numbers (shots < 10 is not text order), and canonical names still work.
  const s = await runCli([
    "runs",
    file,
    "--where",
    "shots < 10 AND shots > 2 AND task = 'hellaswag' AND tokens >= 2e10",
    "--json",
  ]);
  assert.equal(s.code, 0, s.err);
  assert.equal(JSON.parse(s.out).families[0].models[0].checkpoints, 2);
  const bad = await runCli(["runs", file, "--where", "shots > 10"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /lm-eval\.csv:26:3: tokens is not a finite number \("final"\)/);
});

test("- reads standard input; .gz files are read directly", async () => {
  const dir = tempDir();
  const db = join(dir, "s.duckdb");
  const r = spawnWith(["import", "-", "--family", "f", "--db", db, "--json"], LADDER);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).inserted, 4);
  assert.equal(JSON.parse(r.out).file, "stdin");
  const bad = spawnWith(["fit", "-"], "params,tokens,loss\n1e8,2e9,abc\n");
  assert.equal(bad.code, 2);
  assert.equal(bad.err.trim().split("\n").length, 1, bad.err);
  assert.match(bad.err, /^scaleladder: stdin:2:3: loss is not a finite number/);

  const gz = join(dir, "runs.csv.gz");
  writeFileSync(gz, gzipSync(LADDER));
  const g = await runCli(["runs", gz, "--json"]);
  assert.equal(g.code, 0, g.err);
  assert.equal(JSON.parse(g.out).families[0].models.length, 2);
  const broken = join(dir, "broken.csv.gz");
  writeFileSync(broken, gzipSync(LADDER).subarray(0, 20));
  const b = await runCli(["runs", broken]);
  assert.equal(b.code, 2);
  assert.match(b.err, /broken\.csv\.gz: cannot decompress/);
});

test("several files without a model column: a one-size file is its stem, a ladder keeps its sizes", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "run-a.csv"), "params,tokens,loss,step\n1e8,1e9,3.5,1\n1e8,2e9,3.3,2\n");
  writeFileSync(
    join(dir, "ladder-b.csv"),
    "params,tokens,loss,step\n1e8,1e9,3.4,1\n2e8,1e9,3.2,1\n",
  );
  const r = await runCli(["runs", join(dir, "*.csv"), "--json"]);
  assert.equal(r.code, 0, r.err);
  const models = JSON.parse(r.out).families.flatMap((f: { models: { model: string }[] }) =>
    f.models.map((m) => m.model),
  );
  assert.deepEqual(models.sort(), ["ladder-b N=100000000.0", "ladder-b N=200000000.0", "run-a"]);
});

test(".zst files are read directly, keeping line numbers", async () => {
  const { openMemoryDb, sqlString } = await import("../../src/data/duckdb.js");
  const dir = tempDir();
  const zst = join(dir, "runs.csv.zst");
  const db = await openMemoryDb();
  try {
    // DuckDB writes the zstd stream, an encoder independent of the Node or DuckDB decoding path.
    await db.conn.run(
      `COPY (SELECT * FROM (VALUES ('a', 1e8, 1e9, '3.5'), ('a', 1e8, 2e9, 'oops')) t(model, params, tokens, loss))
       TO ${sqlString(zst)} (FORMAT csv, HEADER true, COMPRESSION zstd)`,
    );
  } finally {
    db.close();
  }
  const r = await runCli(["runs", zst]);
  assert.equal(r.code, 2);
  assert.match(r.err, /runs\.csv\.zst:3:4: loss is not a finite number \("oops"\)/);
  const ok = await runCli(["runs", zst, "--where", "tokens < 1.5e9", "--json"]);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(JSON.parse(ok.out).families[0].models[0].rows, 1);
  // A condition that binds but cannot be evaluated is bad input, not an internal error.
  const bad = await runCli(["runs", zst, "--where", "loss <> 'oops'"]);
  assert.equal(bad.code, 2, bad.err);
  assert.match(
    bad.err,
    /cannot use --where "loss <> 'oops'": .*Could not convert string 'oops' to DOUBLE/,
  );
});

test("--repeats: a resumed run's log is refused with a hint naming it, and imports keeping the last rows", async () => {
  const dir = tempDir();
  const file = join(dir, "resumed.csv");
  writeFileSync(
    file,
    "model,params,tokens,step,loss\na,1e8,1e9,1,3.5\na,1e8,2e9,2,3.2\na,1e8,2e9,2,3.25\na,1e8,3e9,3,3.0\n",
  );
  const db = join(dir, "store.duckdb");
  const refused = await runCli(["import", file, "--db", db]);
  assert.equal(refused.code, 2);
  assert.match(
    refused.err,
    /resumed\.csv:4:5: duplicate checkpoint of model "a" at step 2: loss 3\.25 here but 3\.2 at line 3; hint: keep one of the two rows \(--repeats last keeps the later/,
  );
  const bad = await runCli(["import", file, "--db", db, "--repeats", "newest"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^scaleladder: --repeats: --repeats must be first or last, got "newest"/);
  const r = await runCli(["import", file, "--db", db, "--repeats", "last", "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).inserted, 3);
  assert.match(r.err, /1 row logs a checkpoint of its run again; kept the last of each/);
  const fit = await runCli([
    "fit",
    file,
    "--repeats",
    "last",
    "--law",
    "power",
    "--x",
    "tokens",
    "--min-tokens",
    "0",
    "--json",
  ]);
  assert.equal(fit.code, 0, fit.err);
  assert.equal(JSON.parse(fit.out).n, 3);
});
