import type { ResultRow } from "../src/analysis/types.js";
import type { RunTable } from "../src/data/types.js";
import { forecast } from "../src/estimate/forecast.js";
import { fit } from "../src/fit/fit.js";
import type { FitData } from "../src/fit/types.js";
import { approach2 } from "../src/plan/approach2.js";
import { snapToBudgets } from "../src/plan/budgets.js";
import { familyGridPanel } from "../src/report/plots/heatmap.js";
import { type PlotInputs, type PlotKind, plotSpec, type Spec } from "../src/report/plots/index.js";
import { renderPng, renderSvg } from "../src/report/render.js";

/** Targets of issue 12: per figure with 10,000 points, median SVG ≤ 200 ms and PNG ≤ 400 ms. */
const TARGET_SVG_MS = 200;
const TARGET_PNG_MS = 400;
const POINTS = 10_000;

const law = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;

/** 20 runs (40M–4B) × 500 checkpoints from Hoffmann et al.'s law with 1% seeded noise. */
function runs(): RunTable {
  let s = 12345;
  const noise = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 1 + 0.01 * (s / 2147483648 - 0.5);
  };
  const models: string[] = [];
  const params: number[] = [];
  const tokens: number[] = [];
  const value: number[] = [];
  for (let m = 0; m < 20; m++) {
    const N = 4e7 * 100 ** (m / 19);
    const T = 20 * N;
    for (let c = 1; c <= POINTS / 20; c++) {
      const D = (T * c) / (POINTS / 20);
      models.push(`m${m}`);
      params.push(N);
      tokens.push(D);
      value.push(law(N, D) * noise());
    }
  }
  const n = params.length;
  return {
    origin: "bench",
    length: n,
    family: models.map(() => "bench"),
    model: models,
    params: Float64Array.from(params),
    tokens: Float64Array.from(tokens),
    flops: Float64Array.from(params, (N, i) => 6 * N * tokens[i]),
    metric: models.map(() => "loss"),
    value: Float64Array.from(value),
    seed: models.map(() => "0"),
    step: new Float64Array(n).fill(Number.NaN),
  };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median wall time and median CPU time (user + system, this process) of `f` over `reps` runs after
 * one warm-up. On a shared machine the CPU time is the fairer number: it leaves out the time spent
 * waiting for a core.
 */
async function time(f: () => unknown, reps: number): Promise<{ wall: number; cpu: number }> {
  await f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Each figure's input with 10,000 points and the computation that feeds it, timed. */
function workloads(): {
  kind: PlotKind;
  feed: string;
  make: () => PlotInputs[PlotKind];
  points: string;
}[] {
  const table = runs();
  const data: FitData = {
    params: table.params,
    tokens: table.tokens,
    flops: table.flops,
    loss: table.value,
    run: Int32Array.from(table.model, (m) => Number(m.slice(1))),
  };
  const f = fit(data);
  // 1,000 replicates of five parameters: 10 panels × 1,000 points.
  const reps = Array.from({ length: 1000 }, (_, r) =>
    f.theta.map((v, j) => v * (1 + 0.001 * (((r * 7 + j * 13) % 41) - 20))),
  );
  // IsoFLOP: 20 budgets × 500 sizes.
  const iso = { params: [] as number[], loss: [] as number[], flops: [] as number[] };
  for (let b = 0; b < 20; b++) {
    const C = 1e18 * 10 ** (b / 5);
    for (let k = 0; k < 500; k++) {
      const N = Math.sqrt(C / 120) * 10 ** ((k - 250) / 250);
      iso.params.push(N);
      iso.flops.push(C);
      iso.loss.push(law(N, C / (6 * N)));
    }
  }
  const grouping = snapToBudgets(
    iso.flops,
    Array.from({ length: 20 }, (_, b) => 1e18 * 10 ** (b / 5)),
  );
  // 10,000 analysis rows: 100 training-set sizes × 100 fractions.
  const rows: ResultRow[] = [];
  for (let k = 0; k < 100; k++)
    for (let p = 1; p <= 100; p++)
      rows.push({
        experiment: "grid",
        protocol: "default",
        family: "bench",
        trainModels: k + 2,
        fraction: p / 100,
        scaleUp: 100 / (k + 1),
        are: 0.3 / (k + 1) + 0.1 / p,
      } as ResultRow);
  return [
    {
      kind: "fit",
      feed: "fit",
      make: () => ({
        data,
        fit: fit(data),
        replicates: reps.slice(0, 100),
        target: { params: 7e10, tokens: 1.4e12 },
      }),
      points: "10,000 runs' points",
    },
    {
      kind: "residuals",
      feed: "fit",
      make: () => ({ data, fit: fit(data) }),
      points: "10,000 × 2 panels",
    },
    {
      kind: "compute",
      feed: "fit",
      make: () => ({ data, fit: fit(data), target: { params: 7e10, tokens: 1.4e12 } }),
      points: "10,000",
    },
    {
      kind: "isoflop",
      feed: "approach 2",
      make: () => ({ data: iso, grouping, result: approach2(iso, grouping) }),
      points: "10,000 (20 budgets)",
    },
    {
      kind: "contours",
      feed: "fit",
      make: () => ({
        model: { name: "fit", law: f.law, theta: fit(data).theta, reference: "bench" },
        runs: data,
        budget: 1e23,
      }),
      points: "10,000 runs overlaid",
    },
    {
      kind: "forecast",
      feed: "forecast (fit)",
      make: () => ({
        table,
        result: {
          forecast: forecast(table, { family: "bench", minTokens: 0 }),
          interval: null,
          uncertainty: null,
        },
      }),
      points: "10,000 checkpoints",
    },
    {
      kind: "heatmap",
      feed: "grid panel from rows",
      make: () => ({
        title: "bench",
        panels: [
          familyGridPanel(rows, "bench", "default") as NonNullable<
            ReturnType<typeof familyGridPanel>
          >,
        ],
      }),
      points: "10,000 cells",
    },
    {
      kind: "bootstrap",
      feed: "fit (×K for K resamples)",
      make: () => ({ fit: fit(data), replicates: reps }),
      points: "1,000 resamples × 10 panels",
    },
  ];
}

/** Times every figure: the feeding computation, the spec, the SVG and the PNG. */
export async function runPlotsBench(): Promise<string[]> {
  const out = [
    `figures with ${POINTS.toLocaleString("en")} points, medians of 5, wall (CPU) ms; targets: SVG ${TARGET_SVG_MS} ms, PNG ${TARGET_PNG_MS} ms`,
    "| figure | points | feed | feed ms | spec ms | SVG ms | SVG/target | PNG ms | PNG/target |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  const ms = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(0)} (${t.cpu.toFixed(0)})`;
  const ratio = (t: { wall: number; cpu: number }, target: number) =>
    `${(t.wall / target).toFixed(2)}× (${(t.cpu / target).toFixed(2)}×)`;
  for (const w of workloads()) {
    const feed = await time(() => w.make(), 3);
    const input = w.make();
    let spec: Spec = {};
    const specMs = await time(() => {
      spec = plotSpec(w.kind, input as never);
    }, 5);
    const svg = await time(() => renderSvg(spec), 5);
    const png = await time(() => renderPng(spec), 5);
    out.push(
      `| ${w.kind} | ${w.points} | ${w.feed} | ${ms(feed)} | ${ms(specMs)} | ${ms(svg)} | ${ratio(svg, TARGET_SVG_MS)} | ${ms(png)} | ${ratio(png, TARGET_PNG_MS)} |`,
    );
  }
  return out;
}
