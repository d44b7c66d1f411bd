import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, spawnCli, spawnCliModules, tempFile } from "../fixtures/cli.js";
import { EPOCH_FILE, EPOCH_GOLDEN, epochGoldenData } from "../fixtures/epoch.js";
import { sharedSkip } from "../fixtures/shared.js";
import { syntheticLadderCsv } from "../fixtures/synthetic.js";

function csvOf(rows: { params: number; tokens: number; loss: number }[]): string {
  return `params,tokens,loss\n${rows.map((r) => `${r.params},${r.tokens},${r.loss}`).join("\n")}\n`;
}

const ladder = syntheticLadderCsv();

test("fit --json on the Epoch data meets the golden optimum with the documented keys", {
  skip: sharedSkip(EPOCH_FILE),
}, async () => {
  const file = tempFile("epoch240.csv", csvOf(epochGoldenData().rows));
  const r = await runCli(["fit", file, "--json"]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  for (const key of [
    "law",
    "params",
    "objective",
    "status",
    "n",
    "intervals",
    "settings",
    "timing",
  ])
    assert.ok(key in j, key);
  assert.equal(j.law, "chinchilla");
  assert.deepEqual(Object.keys(j.params), ["E", "A", "B", "alpha", "beta"]);
  assert.equal(j.status, "converged");
  assert.equal(j.n, 240);
  assert.ok(Math.abs(j.objective.value / EPOCH_GOLDEN.objective - 1) < 1e-7);
  assert.equal(Number(j.params.alpha.toPrecision(4)), 0.3473);
  assert.equal(typeof j.timing.fitMs, "number");
  // The fit records every choice needed to reproduce it.
  for (const key of [
    "objective",
    "objectiveSettings",
    "optimizer",
    "starts",
    "startsTried",
    "tolerances",
    "fixed",
    "bounds",
    "data",
  ]) {
    assert.ok(key in j.settings, `settings.${key}`);
  }
});

test("predict prints a bootstrap interval around the point forecast, reproducibly", async () => {
  const argv = [
    "predict",
    ladder,
    "--params",
    "7B",
    "--tokens",
    "140B",
    "--bootstrap",
    "24",
    "--seed",
    "3",
    // The synthetic checkpoints follow the law from the first one (no warm-up): keep them all.
    "--min-tokens",
    "0",
    "--json",
    "--no-timing",
  ];
  const a = await runCli(argv);
  assert.equal(a.code, 0, a.err);
  const j = JSON.parse(a.out);
  const [lo, hi] = j.prediction.interval;
  assert.ok(lo <= j.prediction.loss && j.prediction.loss <= hi);
  assert.equal(j.prediction.at.params, 7e9);
  assert.equal(j.fit.settings.bootstrap.resamples, 24);
  // Truth at N = 7e9, D = 1.4e11 (Hoffmann values; python3): 2.1387…
  const truth = 1.69 + 406.4 / 7e9 ** 0.34 + 410.7 / 1.4e11 ** 0.28;
  assert.ok(Math.abs(j.prediction.loss / truth - 1) < 0.02);
  const b = await runCli(argv);
  assert.equal(b.out, a.out, "same seed, same bytes");
  // The verdict: the evidence model's band, the extrapolation in N and D, the guide's warnings.
  const v = j.prediction;
  const [blo, bhi] = v.expectedAre.band;
  assert.ok(blo < v.expectedAre.median && v.expectedAre.median < bhi);
  assert.match(v.verdict, /expected ARE/);
  assert.ok(v.extrapolation.N > 1 && v.extrapolation.D > 1);
  assert.ok(Array.isArray(v.warnings));
});

test("text output names the law, status and parameters", async () => {
  const r = await runCli(["fit", ladder, "--fix", "alpha=0.34"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /chinchilla/);
  assert.match(r.out, /status\s+converged/);
  assert.match(r.out, /alpha\s+0\.34\s+\(fixed\)/);
});

test("bad cells give a one-line file:line:column error and exit 2", async () => {
  const file = tempFile("bad.csv", "params,tokens,loss\n1e8,2e9,3.1\n2e8,4e9,n/a\n");
  const r = await runCli(["fit", file]);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:3: loss`));
  assert.equal(r.err.trim().split("\n").length, 1);
  assert.doesNotMatch(r.err, /\n\s+at /);
});

test("usage errors exit 2 with a hint", async () => {
  for (const [argv, pattern] of [
    [["fit", ladder, "--law", "chinchila"], /did you mean "chinchilla"/],
    [["fit", ladder, "--fix", "alpha=abc"], /--fix/],
    [["fit", ladder, "--fix", "gamma=1"], /no parameter "gamma"/],
    [["fit", ladder, "--bootstrap", "-3"], /--bootstrap/],
    [["fit", ladder, "--lw", "x"], /Unknown option/i],
    [["fit"], /no input file/],
    [["predict", ladder], /nothing to predict/],
    // The law's inputs are checked before any file is read or fitted.
    [["predict", "no-such-file.csv", "--params", "7B"], /law chinchilla needs --tokens/],
    [["fitt"], /did you mean "fit"/],
  ] as const) {
    const r = await runCli([...argv]);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.match(r.err, pattern);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  }
});

test("the binary exits 2 on a missing file without a stack trace, and shows one with --debug", () => {
  const r = spawnCli(["fit", "no-such-file.csv"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no-such-file\.csv: no such file/);
  assert.doesNotMatch(r.err, /\n\s+at /);
  const d = spawnCli(["fit", "no-such-file.csv", "--debug"]);
  assert.equal(d.code, 2);
  assert.match(d.err, /\n\s+at /);
});

test("--help exits 0", async () => {
  const r = await runCli(["fit", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /usage: scaleladder fit/);
});

test("fit --bootstrap --json carries replicates that plan --fit turns into intervals", async () => {
  const fitOut = await runCli([
    "fit",
    ladder,
    "--bootstrap",
    "30",
    "--seed",
    "2",
    "--json",
    "--no-timing",
  ]);
  assert.equal(fitOut.code, 0, fitOut.err);
  const j = JSON.parse(fitOut.out);
  assert.equal(j.replicates.length, j.settings.bootstrap.succeeded);
  assert.equal(j.replicates[0].length, 5);
  const file = tempFile("fit.json", fitOut.out);
  const plan = await runCli(["plan", "--fit", file, "--budget", "1e22", "--json"]);
  assert.equal(plan.code, 0, plan.err);
  const p = JSON.parse(plan.out);
  assert.equal(p.replicates, j.replicates.length);
  for (const key of ["params", "tokens", "loss"]) {
    const [lo, hi] = p.intervals[key];
    assert.ok(lo <= p[key] && p[key] <= hi, `${key} ${p[key]} outside [${lo}, ${hi}]`);
  }
});

test("fit applies the guide's early cut to checkpoint data and says how many rows it dropped", async () => {
  const cut = await runCli(["fit", ladder, "--json", "--no-timing"]);
  assert.equal(cut.code, 0, cut.err);
  const all = await runCli(["fit", ladder, "--min-tokens", "0", "--json", "--no-timing"]);
  const n = JSON.parse(all.out).n;
  const kept = JSON.parse(cut.out).n;
  assert.ok(kept < n);
  assert.match(cut.err, new RegExp(`dropped ${n - kept} of ${n} checkpoints at or below 1e\\+10`));
  assert.equal(all.err, "");
  // Final-loss-only data (one row per run) is never cut, even below 1e10 tokens.
  const finals = tempFile(
    "finals.csv",
    csvOf(
      [1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8].flatMap((N, i) =>
        [1, 2, 4].map((k) => ({
          params: N,
          tokens: 1e8 * k * (i + 1),
          loss: 2 + 400 / N ** 0.34 + 400 / (1e8 * k * (i + 1)) ** 0.28,
        })),
      ),
    ),
  );
  const f = await runCli(["fit", finals, "--json", "--no-timing"]);
  assert.equal(f.code, 0, f.err);
  assert.equal(JSON.parse(f.out).n, 18);
  assert.equal(f.err, "");
});

test("a plain fit of a small clean CSV loads no DuckDB route, workers, figures, zlib or crypto (with or without --where)", () => {
  for (const extra of [[], ["--where", "loss < 3.5 OR params > 1e9"]]) loadsLittle(extra);
});

function loadsLittle(extra: readonly string[]): void {
  const r = spawnCliModules(["fit", ladder, "--min-tokens", "0", ...extra]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /objective\s+huber-log/);
  assert.ok(
    r.loaded.some((u) => u.endsWith("/src/fit/fit.js")),
    "the hook saw the fit's modules",
  );
  for (const unwanted of [
    "/src/data/duckdb.js",
    "/src/data/stage.js",
    "/src/data/source.js",
    "/src/data/input.js",
    "/src/estimate/parallel.js",
    "/src/report/plots/",
    "node:zlib",
    "node:crypto",
    "node:worker_threads",
  ])
    assert.ok(!r.loaded.some((u) => u.includes(unwanted)), `${unwanted} was loaded`);
}
