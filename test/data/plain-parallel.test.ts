import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import {
  loadRuns,
  otherWork,
  readPlainFile,
  runnableOthers,
  TWO_THREADS_FROM,
  twoThreadsPay,
} from "../../src/data/load.js";
import { plainFile, readPlainCsv } from "../../src/data/plain-csv.js";
import {
  joinParts,
  lineAfter,
  readInTwo,
  readPart,
  withStrings,
} from "../../src/data/plain-parallel.js";
import type { LoadOptions } from "../../src/data/stage.js";
import type { RunTable } from "../../src/data/types.js";
import { rng } from "../../src/math/random.js";
import { writeTemp } from "./files.js";

/**
 * The two-part read of readInTwo without its worker: both parts read here, then merged. The worker
 * only moves the second part's rows, so every cut of a small file can be tried cheaply; the worker
 * itself is exercised by readInTwo below on a sample of cuts.
 */
function inTwoHere(path: string, o: LoadOptions, near: number): RunTable | undefined {
  const file = plainFile(path, o);
  if (file === undefined) return undefined;
  const cut = lineAfter(path, near);
  if (cut === undefined) return readPlainCsv(path, o);
  const a = readPart(file, o, 0, cut, file.size, 5);
  const b = readPart(file, o, cut, Number.POSITIVE_INFINITY, file.size - cut, 5);
  if (a === undefined || b === undefined) return undefined;
  return joinParts({ rows: withStrings(a.rows), ends: a.ends }, b, file);
}

/** The byte offsets at which each line starts (and the file's end). */
function lineStarts(text: string): number[] {
  const bytes = Buffer.from(text);
  const out = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) out.push(i + 1);
  if (out[out.length - 1] !== bytes.length) out.push(bytes.length);
  return out;
}

/**
 * Cuts the file at every byte (next to every line start for longer files) in this thread, and at a
 * dozen places through the worker; every table equals one pass's (or all decline with it). Returns
 * one pass's.
 */
async function sameInTwo(name: string, text: string, o: LoadOptions = {}, worker = true) {
  const path = writeTemp(name, text);
  const one = readPlainCsv(path, o);
  const size = Buffer.byteLength(text);
  const starts = lineStarts(text);
  const nears =
    size <= 1500
      ? Array.from({ length: size + 1 }, (_, i) => i)
      : [...new Set(starts.flatMap((s) => [s - 1, s, s + 1]))].filter((i) => i >= 0 && i <= size);
  for (const near of nears)
    assert.deepEqual(inTwoHere(path, o, near), one, `${name} cut from byte ${near}`);
  if (worker) {
    const file = plainFile(path, o);
    assert.ok(file !== undefined, `${name}: the header is read`);
    const some = [
      0,
      1,
      size - 1,
      size,
      ...starts.filter((_, i) => i % Math.ceil(starts.length / 8) === 0),
    ];
    for (const near of new Set(some))
      assert.deepEqual(await readInTwo(file, o, near, 7), one, `${name} (worker) from ${near}`);
    assert.deepEqual(await readPlainFile(path, o, "two"), one, `${name}: readPlainFile in two`);
  }
  return one;
}

/** A sweep log: `runs` runs of `points` checkpoints, in run order, with the columns asked for. */
function sweep(seed: number, runs: number, points: number): string {
  const u = rng(seed, 3);
  const head = ["family", "model", "params", "tokens", "loss", "step"];
  const lines = [head.join(",")];
  for (let r = 0; r < runs; r++) {
    const params = Math.round(1e7 * 2 ** (r % 7) * (1 + u()));
    for (let k = 1; k <= points; k++) {
      const loss = (2 + 5 / k + u() / 10).toFixed(6);
      lines.push(`fam${r % 3},m${r},${params},${k * 2e8},${loss},${k * 100}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

test("two parts give one pass's table, wherever the file is cut", async () => {
  const plain = await sameInTwo("sweep.csv", sweep(1, 6, 5));
  assert.equal(plain?.length, 30);
  // A --where the reader evaluates (where-eval.ts), in each thread.
  const kept = await sameInTwo("where.csv", sweep(6, 6, 5), { where: "loss < 3.3 AND step > 100" });
  assert.ok(kept !== undefined && kept.length > 0 && kept.length < 30, `${kept?.length} rows`);
  // The last line without its newline, a BOM and tabs.
  assert.ok((await sameInTwo("no-newline.csv", sweep(2, 4, 4).trimEnd())) !== undefined);
  const tsv = `\uFEFF${sweep(3, 4, 3).replace(/,/g, "\t")}`;
  assert.ok((await sameInTwo("bom.tsv", tsv)) !== undefined);
  // No model column: names from the sizes (by step) or from sizes and tokens.
  const noModel =
    "params,tokens,loss,step\n1e8,1e9,3.5,1\n1e8,2e9,3.4,2\n2e8,1e9,3.3,1\n2e8,2e9,3.2,2\n";
  assert.ok((await sameInTwo("by-step.csv", noModel)) !== undefined);
  // Runs interleaved (every run's first checkpoint, then every second …) and runs given backwards:
  // the parts' checkpoints do not simply follow on, so the whole check runs on the merged rows.
  const lines = sweep(4, 5, 4).trimEnd().split("\n");
  const byCheckpoint = lines.slice(1).map((l, i) => ({ l, k: i % 4, r: Math.floor(i / 4) }));
  const across = byCheckpoint.sort((x, y) => x.k - y.k || x.r - y.r).map((x) => x.l);
  assert.ok((await sameInTwo("across.csv", [lines[0], ...across, ""].join("\n"))) !== undefined);
  const backwards = [lines[0], ...lines.slice(1).reverse(), ""].join("\n");
  assert.ok((await sameInTwo("backwards.csv", backwards)) !== undefined);
  const noStep = "params,tokens,loss\n1e8,1e9,3.5\n1e8,2e9,3.4\n2e8,1e9,3.3\n2e8,3e9,3.2\n";
  assert.ok((await sameInTwo("no-step.csv", noStep)) !== undefined);
});

test("text columns with many distinct values, optional columns and long files merge exactly", async () => {
  const u = rng(7, 1);
  const head = "family,model,seed,params,tokens,unique_tokens,loss,step,arch,dataset,source,budget";
  const lines = [head];
  for (let r = 0; r < 24; r++) {
    const params = 1e7 * (r + 1);
    for (let k = 1; k <= 3; k++) {
      const pick = (a: string[]) => a[Math.floor(u() * a.length)];
      lines.push(
        [
          `f${r % 5}`,
          `model-${r}-é`,
          r % 4 === 0 ? "" : String(r % 2),
          String(params),
          String(k * 1e9),
          u() < 0.5 ? "" : String(k * 5e8),
          (3 + u()).toFixed(3),
          String(k),
          pick(["", "gpt", `a${r}`]),
          r < 12 ? "" : pick(["web", `d${k}`]),
          `s${r * 3 + k}`,
          u() < 0.3 ? "" : `${k}e18`,
        ].join(","),
      );
    }
  }
  const t = await sameInTwo("text.csv", `${lines.join("\n")}\n`, { extraColumns: ["budget"] });
  assert.ok(t?.arch && t.dataset && t.source && t.uniqueTokens && t.extra?.budget);
  assert.equal(new Set(t.model).size, 24);
  // Only the second half has a dataset, only the first an arch: still the whole file's columns.
  const onlyLate = lines.map((l, i) =>
    i === 0 ? l : l.replace(/,([^,]*),([^,]*),(s\d+),/, i > 36 ? ",,web,$3," : ",gpt,,$3,"),
  );
  const late = await sameInTwo("late.csv", `${onlyLate.join("\n")}\n`, {
    extraColumns: ["budget"],
  });
  assert.ok(late?.arch && late.dataset);
  const long = [
    "family,model,seed,params,tokens,step,metric,value",
    ...Array.from({ length: 20 }, (_, i) =>
      [`f,m${i % 4},1,${1e8 * ((i % 4) + 1)},${(1 + Math.floor(i / 4)) * 1e9},${Math.floor(i / 4)}`]
        .flatMap((s) => [`${s},loss,${3 - i / 100}`, `${s},acc,0.${i + 10}`])
        .join("\n"),
    ),
  ].join("\n");
  assert.equal((await sameInTwo("long.csv", `${long}\n`, { metric: "loss" }))?.length, 20);
  assert.equal((await sameInTwo("long-all.csv", `${long}\n`))?.length, 40);
});

test("a file one pass declines is declined in two parts, whatever spans the cut", async () => {
  // The base file is read; each change below is one the one pass declines, placed in the second
  // half while what it conflicts with is in the first.
  const base = sweep(5, 4, 6);
  assert.ok(readPlainCsv(writeTemp("base.csv", base), {}) !== undefined);
  const rows = base.trimEnd().split("\n");
  const late = (i: number, f: (cells: string[]) => void) => {
    const out = [...rows];
    const cells = out[i].split(",");
    f(cells);
    out[i] = cells.join(",");
    return `${out.join("\n")}\n`;
  };
  const n = rows.length - 1;
  // m0 with seed 0 in the first rows, with seed 1 (another run) and another size in the last.
  const withSeeds = [
    "model,seed,params,tokens,loss",
    ...Array.from(
      { length: 8 },
      (_, i) => `m${i % 2 ? 1 : 0},0,${i % 2 ? 2e8 : 1e8},${(i + 1) * 1e9},3`,
    ),
    "m0,1,3e8,1e9,3",
  ].join("\n");
  const cases: [string, string][] = [
    // Run fam0/m0 (rows 1–6, steps to 600) given another size at a new step in the last row.
    [
      "other size, same run",
      late(n, (c) => {
        c[0] = "fam0";
        c[1] = "m0";
        c[5] = "700";
      }),
    ],
    ["other size, another run", withSeeds],
    [
      "checkpoint repeated",
      late(n, (c) => {
        c[5] = "300";
      }),
    ],
    [
      "repeated, first row",
      `${rows.slice(0, 2).join("\n")}\n${rows.slice(2).join("\n")}\n${rows[1]}\n`,
    ],
    [
      "tokens falling",
      late(n, (c) => {
        c[3] = "1";
      }),
    ],
    [
      "a step missing",
      late(n, (c) => {
        c[5] = "";
      }),
    ],
    [
      "an empty loss",
      late(n, (c) => {
        c[4] = "";
      }),
    ],
    [
      "a quote",
      late(n, (c) => {
        c[1] = '"m3"';
      }),
    ],
    ["a CR", `${rows.join("\r\n")}\r\n`],
    ["a blank line", `${rows.slice(0, n).join("\n")}\n\n${rows[n]}\n`],
    [
      "a short line",
      late(n, (c) => {
        c.pop();
      }),
    ],
    ["bad UTF-8 late", `${base}`.replace(/m3,/g, "m\u00e93,")],
    ["header with a quote", base.replace("family", '"family"')],
    ["all sizes small", base.replace(/,(\d+),(\d+),/g, (_, p, t) => `,${Number(p) / 1e4},${t},`)],
  ];
  for (const [name, text] of cases) {
    const path = writeTemp("odd.csv", text);
    if (name === "bad UTF-8 late") {
      // é is valid: this case is read; the next one spoils a byte of it.
      assert.ok(readPlainCsv(path, {}) !== undefined, name);
      const bytes = Buffer.from(text);
      bytes[bytes.lastIndexOf(0xa9)] = 0xff;
      const bad = writeTemp("bad.csv", bytes);
      assert.equal(readPlainCsv(bad, {}), undefined, name);
      for (let near = 0; near <= bytes.length; near += 7)
        assert.equal(inTwoHere(bad, {}, near), undefined, `${name} from ${near}`);
      continue;
    }
    assert.equal(readPlainCsv(path, {}), undefined, `one pass should decline: ${name}`);
    await sameInTwo(
      "odd.csv",
      text,
      {},
      name.startsWith("other size") || name === "tokens falling",
    );
    // The same file without the seeds' conflict is read: the check is what declines it.
    if (name === "other size, another run")
      assert.ok(readPlainCsv(writeTemp("ok.csv", text.replace("m0,1,3e8", "m0,1,1e8")), {}));
  }
});

test("the whole file decides the unit warnings and the one-size check, not either part", async () => {
  // Small sizes early and big ones late: one pass reads it (the largest size is plausible).
  const text = [
    "model,params,tokens,loss,step",
    "a,5e4,1e9,3.5,1",
    "a,5e4,2e9,3.4,2",
    "b,5e8,1e9,3.3,1",
    "b,5e8,2e9,3.2,2",
  ].join("\n");
  assert.equal((await sameInTwo("sizes.csv", `${text}\n`))?.length, 4);
  // The same model name in two families is two models.
  const fams = "family,model,params,tokens,loss\nx,a,1e8,1e9,3\nx,a,1e8,2e9,2.9\ny,a,2e8,1e9,2.8\n";
  assert.equal((await sameInTwo("fams.csv", fams))?.length, 3);
});

test("big files go through two threads to the same table", async () => {
  const text = sweep(9, 300, 40);
  const path = writeTemp("big.csv", text);
  const one = readPlainCsv(path, {});
  assert.equal(one?.length, 12000);
  assert.deepEqual(await readPlainFile(path, {}, "two"), one);
  assert.deepEqual(await loadRuns(path), one);
  // Bigger than the threshold but declined: the first part's problem stops the worker.
  const bad = writeTemp("bad-big.csv", text.replace("m1,", '"m1",'));
  assert.equal(await readPlainFile(bad, {}, "two"), undefined);
});

test("two threads only for big files, and only with a core to spare", () => {
  const big = TWO_THREADS_FROM;
  assert.equal(twoThreadsPay(big, 0.3, 2), true);
  assert.equal(twoThreadsPay(big - 1, 0.3, 2), false);
  assert.equal(twoThreadsPay(big, 1.2, 2), false);
  assert.equal(twoThreadsPay(big, 5.5, 8), true);
  assert.equal(twoThreadsPay(big, 0, 1), false);
});

test("the work besides this thread is the count of runnable threads now, not a lagging average", () => {
  // /proc/loadavg: three load averages, runnable/all threads (this one among them), the last pid.
  assert.equal(runnableOthers("0.42 1.36 1.56 1/75 18000\n"), 0);
  assert.equal(runnableOthers("3.10 2.00 1.00 4/120 99\n"), 3);
  assert.equal(runnableOthers("1.39 1.49 1.60 0/75 18261\n"), 0);
  assert.throws(() => runnableOthers("3.10 2.00 1.00\n"), /not \/proc\/loadavg/);
  // Where the file exists (Linux), the live value is that count: a whole number.
  if (existsSync("/proc/loadavg")) assert.ok(Number.isInteger(otherWork()));
});
