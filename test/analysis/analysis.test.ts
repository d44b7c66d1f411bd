import assert from "node:assert/strict";
import { test } from "node:test";
import {
  cheapest,
  compareProtocols,
  macroAverage,
  scaleUpBin,
} from "../../src/analysis/aggregate.js";
import { kSchedule, planChunks } from "../../src/analysis/experiments.js";
import { runChunksParallel } from "../../src/analysis/parallel.js";
import { covariance, line } from "../../src/analysis/pca.js";
import { median, quantile, trimmedMean } from "../../src/analysis/robust.js";

import { summarizeAnalysis } from "../../src/analysis/summary.js";
import type { ResultRow } from "../../src/analysis/types.js";
import { eigenSymmetric } from "../../src/fit/linalg.js";
import { toCsv } from "../../src/report/analysis-tables.js";
import { ladderTable } from "../fixtures/ladder-table.js";

test("k schedule follows HITCHHIKER_SPEC §3.2", () => {
  assert.deepEqual(kSchedule(5), [2, 3, 4, 5]);
  assert.deepEqual(kSchedule(42), [2, 10, 18, 26, 34, 42]); // step ⌊42/5⌋ = 8
  assert.deepEqual(kSchedule(100).slice(0, 3), [2, 12, 22]); // step 10 past 60
  assert.deepEqual(kSchedule(1), []);
});

test("planning: one chunk per experiment × family × protocol, grid = k × 10 fractions", () => {
  const t = ladderTable();
  const chunks = planChunks(t, {
    experiments: ["grid", "borrow", "bad-model"],
    protocols: ["default", "paper"],
  });
  const grid = chunks.find((c) => c.id === "grid__toy__paper");
  assert.equal(grid?.cells.length, 4 * 10);
  assert.equal(chunks.find((c) => c.id === "borrow__toy__default")?.cells.length, 6 * 10);
  assert.equal(chunks.find((c) => c.id === "bad-model__toy__default")?.cells.length, 1 + 5);
});

test("the analysis runs in parallel, and every cell of a noiseless ladder is scored", async () => {
  const t = ladderTable();
  const chunks = planChunks(t, {
    experiments: ["grid", "baselines", "params", "scale-down"],
    protocols: ["default"],
  });
  const rows: ResultRow[] = [];
  const seen: number[] = [];
  await runChunksParallel(t, chunks, {
    workers: 2,
    onChunk: (_c, rs) => rows.push(...rs),
    onProgress: (p) => seen.push(p.doneChunks),
  });
  assert.deepEqual(
    seen,
    chunks.map((_, i) => i + 1),
  );
  const grid = rows.filter((r) => r.experiment === "grid" && r.fraction === 1);
  // Two sizes cannot identify E, A and α (three unknowns, two values of N): any point of that ridge
  // fits the noiseless data exactly, so only k ≥ 3 must forecast well; k = 2 must still be scored.
  for (const r of grid)
    assert.ok(r.k === 2 ? Number.isFinite(r.are) : r.are < 0.01, `k=${r.k}: ${r.are}`);
  const s = summarizeAnalysis(rows);
  assert.ok(s.counts.find((c) => c.experiment === "grid")?.fitted);
  assert.ok(s.baselines.every((b) => b.meanAre > b.gridMeanAre));
});

test("tidy CSV follows RFC 4180: quotes fields with commas, quotes or newlines; blanks for missing", () => {
  const rows = [
    { name: "x,y", value: 1.5, note: null },
    { name: 'q"r', value: Number.NaN, note: "two\nlines" },
    { name: "plain", value: 1e-7, note: undefined },
  ];
  // Written by hand from RFC 4180 §2 (rules 5–7); numbers as JavaScript prints them.
  const expected = 'name,value,note\n"x,y",1.5,\n"q""r",,"two\nlines"\nplain,1e-7,\n';
  assert.equal(toCsv(rows, ["name", "value", "note"]), expected);
});

function row(o: Partial<ResultRow>): ResultRow {
  return {
    experiment: "grid",
    protocol: "default",
    family: "f",
    trainModels: 2,
    fraction: 1,
    are: 0.1,
    flops: 1,
    scaleUp: 3,
    k: 2,
    m: null,
    heldOut: null,
    baseline: null,
    minTokens: 1e10,
    largest: "x",
    status: "converged",
    models: "x",
    ...o,
  } as ResultRow;
}

test("macro average: mean per family first, then over families; excluded families left out (§3.3)", () => {
  const rows = [
    row({ family: "a", are: 0.1 }),
    row({ family: "a", are: 0.3 }),
    row({ family: "b", are: 0.6 }),
    row({ family: "pythia-v0", are: 9 }),
  ];
  const [cell] = macroAverage(rows);
  assert.ok(Math.abs(cell.are - 0.4) < 1e-12); // (0.2 + 0.6) / 2
  assert.equal(cell.count, 2);
  assert.equal(scaleUpBin(1.5), "1-2x");
  assert.equal(scaleUpBin(33), "32+x");
});

test("cheapest: first fraction below τ whose right-hand cells stay mostly below, smallest FLOPs (§3.3)", () => {
  const rows = [
    row({ trainModels: 2, fraction: 0.5, are: 0.04, flops: 50 }),
    row({ trainModels: 2, fraction: 0.6, are: 0.2, flops: 60 }),
    row({ trainModels: 2, fraction: 0.7, are: 0.04, flops: 70 }),
    row({ trainModels: 3, fraction: 0.5, are: 0.04, flops: 90 }),
  ];
  const five = cheapest(rows, [0.05]);
  assert.equal(five.length, 1);
  assert.equal(five[0].flops, 70); // 0.5 is followed by 50% above τ, so 0.7 is the row's candidate
});

test("protocol comparison: per family on matching cells", () => {
  const rows = [
    row({ are: 0.1 }),
    row({ protocol: "paper", are: 0.2 }),
    row({ family: "g", are: 0.3 }),
    row({ family: "g", protocol: "paper", are: 0.1 }),
  ];
  const c = compareProtocols(rows);
  assert.deepEqual(
    c.map((x) => [x.family, x.better, x.medianDifference]),
    [
      ["f", "default", 0.1 - 0.2],
      ["g", "paper", 0.3 - 0.1],
    ],
  );
  assert.deepEqual(
    c.map((x) => x.defaultWins),
    [1, 0],
  );
  // Borrow cells share k = 1 and differ by their training model: each pairs with its own.
  const borrow = (models: string, protocol: "default" | "paper", are: number) =>
    row({ experiment: "borrow", k: 1, models, protocol, are });
  const [b] = compareProtocols([
    borrow("small", "default", 0.1),
    borrow("small", "paper", 0.2),
    borrow("mid", "default", 0.3),
    borrow("mid", "paper", 0.4),
  ]);
  assert.equal(b.cells, 2);
  assert.ok(Math.abs(b.paperAre - 0.3) < 1e-12 && b.defaultWins === 1); // not 0.4: mid twice
});

test("PCA pieces: Jacobi eigenvalues of a known matrix, least-squares lines", () => {
  const { values, vectors } = eigenSymmetric([
    [2, 1],
    [1, 2],
  ]);
  assert.ok(Math.abs(values[0] - 3) < 1e-12 && Math.abs(values[1] - 1) < 1e-12);
  assert.ok(Math.abs(Math.abs(vectors[0][0]) - Math.SQRT1_2) < 1e-12);
  const l = line([1, 2, 3], [3, 5, 7]);
  assert.ok(
    Math.abs(l.slope - 2) < 1e-12 &&
      Math.abs(l.intercept - 1) < 1e-12 &&
      Math.abs(l.r2 - 1) < 1e-12,
  );
  assert.deepEqual(
    covariance([
      [1, 2],
      [3, 6],
    ]),
    [
      [2, 4],
      [4, 8],
    ],
  );
});

test("robust statistics: median, type-7 quantile and 10% trimmed mean", () => {
  // numpy.quantile([1, 2, 3, 4], 0.1) = 1.3; scipy.stats.trim_mean(range(1, 11) + [1000], 0.1)
  // drops one value per end: mean(2..10) = 6.
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Math.abs(quantile([1, 2, 3, 4], 0.1) - 1.3) < 1e-12);
  assert.equal(trimmedMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1000]), 6);
  assert.ok(Number.isNaN(median([])));
});

/** A grid of converged fits over 3 families × 2 bins × 2 fractions, both protocols. */
function cleanGrid(): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const family of ["a", "b", "c"])
    for (const trainModels of [2, 3])
      for (const fraction of [0.5, 1])
        for (const protocol of ["default", "paper"] as const)
          rows.push(
            row({
              family,
              trainModels,
              k: trainModels,
              fraction,
              protocol,
              are: (protocol === "default" ? 0.03 : 0.04) + 0.01 * trainModels,
              flops: 10 * trainModels * fraction,
              scaleUp: 3 * trainModels,
            }),
          );
  return rows;
}

test("planted bound-hit fits move no default aggregate, are counted, and never become stars", () => {
  const clean = cleanGrid();
  // One bound-hit fit per family with ARE 1e12 under the default protocol (as Pythia's scale-down
  // extrapolations reach), and one cheap bound-hit fit with a tiny ARE that would win a star.
  const planted = [
    ...["a", "b", "c"].map((family) =>
      row({ family, trainModels: 2, fraction: 0.5, are: 1e12, status: "bound-hit" }),
    ),
    row({
      family: "a",
      trainModels: 2,
      fraction: 0.1,
      k: 2,
      are: 1e-4,
      flops: 0.1,
      status: "bound-hit",
    }),
    row({ family: "a", trainModels: 3, fraction: 0.5, are: 5, status: "max-iterations" }),
  ];
  const base = summarizeAnalysis(clean);
  const dirty = summarizeAnalysis([...clean, ...planted]);
  assert.deepEqual(dirty.aggregate, base.aggregate);
  assert.deepEqual(dirty.scaleUp, base.scaleUp);
  assert.deepEqual(dirty.cheapest, base.cheapest);
  assert.deepEqual(dirty.protocols, base.protocols);
  const grid = dirty.counts.find((c) => c.experiment === "grid" && c.protocol === "default");
  assert.deepEqual(grid?.statuses, { "bound-hit": 4, converged: 12, "max-iterations": 1 });
  assert.equal(grid?.excluded, 5);
  assert.deepEqual(
    grid?.are,
    base.counts.find((c) => c.experiment === "grid" && c.protocol === "default")?.are,
  );
  // --include-failed lets them in: the mean explodes; the median of the grid's 17 fits moves by
  // no more than their share of ranks, staying within the clean range of ARE (0.05–0.06).
  const all = summarizeAnalysis([...clean, ...planted], { includeFailed: true });
  const g = all.counts.find((c) => c.experiment === "grid" && c.protocol === "default");
  assert.ok((g?.are.mean ?? 0) > 1e11);
  assert.equal(g?.are.median, 0.06);
  // Stars stay converged-only even then.
  assert.deepEqual(all.cheapest, base.cheapest);
  assert.equal(all.aggregation.statuses, "all");
});

test("the protocol comparison follows the paired win share, not a mean blown up by one cell", () => {
  // Default wins 9 of 10 paired cells by 1 point but loses one by 1e12 (a converged fit that still
  // extrapolates wildly): the mean says paper, the win share and the median difference say default.
  const rows: ResultRow[] = [];
  for (let i = 0; i < 10; i++) {
    rows.push(row({ fraction: (i + 1) / 10, are: i === 0 ? 1e12 : 0.02 }));
    rows.push(row({ fraction: (i + 1) / 10, protocol: "paper", are: 0.03 }));
  }
  const [c] = compareProtocols(rows);
  assert.ok(c.defaultAre > c.paperAre);
  assert.equal(c.defaultWins, 0.9);
  assert.ok(Math.abs(c.medianDifference + 0.01) < 1e-12);
  assert.equal(c.better, "default");
  // A median difference within 0.1 point is a tie whatever the win share.
  const [t] = compareProtocols([row({ are: 0.0201 }), row({ protocol: "paper", are: 0.02 })]);
  assert.equal(t.better, "tie");
});

test("self-prediction: every run forecasts its own last 30% from its first p ≤ 0.7 (§3.4j)", async () => {
  const t = ladderTable();
  const chunks = planChunks(t, { experiments: ["self-prediction"], protocols: ["default"] });
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0].cells.length, 6 * 7); // every model, the target too, × p = 0.1 … 0.7
  const rows: ResultRow[] = [];
  await runChunksParallel(t, chunks, { workers: 1, onChunk: (_c, rs) => rows.push(...rs) });
  assert.deepEqual(new Set(rows.map((r) => r.target)).size, 6);
  for (const r of rows) {
    assert.equal(r.models, r.target); // trained on itself only
    assert.equal(r.minTokens, 1e8);
  }
  // Noiseless curves: from 70% of its own run each model's last 30% is predicted almost exactly.
  const late = rows.filter((r) => r.fraction === 0.7 && Number.isFinite(r.are));
  assert.ok(late.length >= 5);
  assert.ok(median(late.map((r) => r.are)) < 0.01, String(late.map((r) => r.are)));
  // At p = 0.1 a run has 2 checkpoints for 5 parameters: the cell records the failure, no ARE.
  assert.ok(rows.filter((r) => r.fraction === 0.1).every((r) => r.status === "failed"));
  const s = summarizeAnalysis(rows, { includeFailed: true });
  assert.deepEqual(
    s.selfPrediction.map((c) => c.fraction),
    [0.3, 0.4, 0.5, 0.6, 0.7],
  );
});

test("planning with another law: its own chunk ids and the law in every default cell", () => {
  const chunks = planChunks(ladderTable(), {
    experiments: ["grid"],
    protocols: ["default"],
    law: "hitchhiker-tied",
  });
  assert.equal(chunks[0].id, "grid__toy__default__hitchhiker-tied");
  assert.ok(chunks[0].cells.every((c) => c.spec.fit?.law === "hitchhiker-tied"));
});
