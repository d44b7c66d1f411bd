import type { RunTable } from "../../data/types.js";
import { TEST_FROM } from "../../estimate/forecast.js";
import type { ForecastWithInterval } from "../../estimate/forecast-interval.js";
import { familyOf } from "../../estimate/selection.js";
import {
  COUNT_LABEL,
  countLabel,
  figure,
  logChannel,
  logExtent,
  lossChannel,
  metricTitle,
  num,
  pct,
  r6,
  type Spec,
  TITLES,
} from "./axes.js";
import { paddedRange } from "./fit.js";
import { bandAt, curveAlongTokens, type Row } from "./points.js";

/** What the `forecast` figure draws: an `evaluate` result and the table it was made from. */
export interface ForecastPlotInput {
  readonly table: RunTable;
  readonly result: ForecastWithInterval;
}

/**
 * What `evaluate` did: the training models' loss curves (coloured by size), the target's actual
 * curve (black), and the forecast over the target's last 30% (red, dashed, with its bootstrap band),
 * ARE and the no-fit baselines in the subtitle.
 */
export function forecastSpec(input: ForecastPlotInput): Spec {
  const { table, result } = input;
  const f = result.forecast;
  const family = familyOf(table, f.family, f.metric);
  const trained = new Set(f.train.models);
  const train: Row[] = [];
  const target: Row[] = [];
  const sizes: number[] = [];
  for (const m of family.models) {
    const isTarget = m.name === f.target.model;
    if (!isTarget && !trained.has(m.name)) continue;
    if (!isTarget) sizes.push(m.params);
    for (const r of m.rows) {
      if (!(table.tokens[r] > 0) || !Number.isFinite(table.value[r])) continue;
      const row = {
        model: m.name,
        params: r6(m.params),
        size: countLabel(m.params),
        tokens: r6(table.tokens[r]),
        loss: r6(table.value[r]),
      };
      (isTarget ? target : train).push(row);
    }
  }
  const T = f.target.maxTokens;
  const forecast: Row[] = [];
  if (f.fit && f.fit.status !== "non-finite") {
    const c = curveAlongTokens(f.fit, f.target.params, TEST_FROM * T, T, 30);
    const reps = result.uncertainty?.replicates.flatMap((r) => (r.theta ? [r.theta] : [])) ?? [];
    const band = reps.length
      ? bandAt(
          f.fit,
          reps,
          {
            params: new Float64Array(c.tokens.length).fill(f.target.params),
            tokens: c.tokens,
            flops: c.flops,
          },
          result.uncertainty?.bootstrap?.level ?? 0.95,
        )
      : [];
    c.tokens.forEach((t, i) => {
      forecast.push({
        tokens: r6(t),
        loss: r6(c.loss[i]),
        lo: band.length ? r6(band[i].lo) : null,
        hi: band.length ? r6(band[i].hi) : null,
      });
    });
  }
  const sizeOrder = [...new Set(sizes.sort((a, b) => a - b).map(countLabel))];
  const layers: Spec[] = [
    {
      data: { values: [{ tokens: r6(TEST_FROM * T), note: "test: last 30%" }] },
      layer: [
        { mark: { type: "rule", color: "#aaa", strokeDash: [2, 2] } },
        {
          mark: {
            type: "text",
            align: "left",
            baseline: "top",
            dx: 4,
            y: 4,
            color: "#777",
            fontSize: 10,
          },
          encoding: { text: { field: "note" } },
        },
      ],
    },
    {
      data: { values: train },
      mark: { type: "line", strokeWidth: 1.2, opacity: 0.9 },
      encoding: {
        color: {
          field: "size",
          type: "ordinal",
          title: "training models N",
          scale: { domain: sizeOrder, scheme: "viridis" },
        },
        detail: { field: "model" },
      },
    },
    {
      data: { values: target },
      mark: { type: "line", color: "#111", strokeWidth: 2 },
    },
  ];
  if (forecast.some((r) => r.lo !== null)) {
    layers.push({
      data: { values: forecast.filter((r) => r.lo !== null) },
      mark: { type: "area", color: "#d62728", opacity: 0.2 },
      encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
    });
  }
  if (forecast.length) {
    layers.push({
      data: { values: forecast },
      mark: { type: "line", color: "#d62728", strokeWidth: 2.2, strokeDash: [6, 3] },
    });
  }
  const test = [...target, ...forecast].filter(
    (r) => (r.tokens as number) >= TEST_FROM * T * 0.999,
  );
  // The y range follows the target's test window and the training curves' tails, not the first
  // checkpoints (whose loss is several times higher and would flatten everything of interest).
  const tail = train.filter((r) => (r.tokens as number) >= Math.max(f.minTokens, 1));
  const ys = [...test.flatMap((r) => [r.loss, r.lo, r.hi]), ...tail.map((r) => r.loss)].filter(
    (v): v is number => typeof v === "number",
  );
  const iv = result.interval ? ` [${num(result.interval[0])}, ${num(result.interval[1])}]` : "";
  const subtitle = [
    `target ${f.target.model} (black) from ${f.train.models.length} models up to ${f.train.largest ?? "none"} (scale-up ×${num(f.train.scaleUp, 3)}), fraction ${f.fraction}, tokens > ${countLabel(f.minTokens)}, protocol ${f.protocol}: ${f.status}`,
    `ARE ${pct(f.are)} over the last 30% (final ${pct(f.areFinal)}); predicted ${num(f.predicted)}${iv}, actual ${num(f.actual)}; baselines: best observed ${pct(f.baselines.best.are)}, most-trained ${pct(f.baselines.mostTrained.are)}`,
  ];
  const kept = [...train, ...target].filter((r) => (r.tokens as number) > f.minTokens);
  const overviewX = logExtent(
    (kept.length ? kept : [...train, ...target]).map((r) => r.tokens as number),
  );
  const yTitle = metricTitle(f.metric);
  const clip = (ls: Spec[]) =>
    ls.map((l) => (l.mark ? { ...l, mark: { ...(l.mark as Spec), clip: true } } : l));
  const overview: Spec = {
    width: 440,
    height: 320,
    title: "training models and the target",
    encoding: {
      x: logChannel("tokens", TITLES.tokens, overviewX),
      y: lossChannel("loss", yTitle, paddedRange(ys)),
    },
    layer: clip(layers),
  };
  // The test window on its own: the forecast, its band and the truth, at a readable scale.
  const zoomLayers: Spec[] = [
    {
      data: { values: target.filter((r) => (r.tokens as number) >= TEST_FROM * T * 0.999) },
      mark: { type: "line", color: "#111", strokeWidth: 2, point: { size: 18, color: "#111" } },
    },
    ...layers.slice(3),
  ];
  const zoom: Spec = {
    width: 240,
    height: 320,
    title: "the target's last 30%",
    encoding: {
      x: {
        field: "tokens",
        type: "quantitative",
        title: TITLES.tokens,
        scale: { domain: [r6(TEST_FROM * T * 0.98), r6(T * 1.02)], nice: false },
        axis: { labelExpr: COUNT_LABEL, tickCount: 4 },
      },
      y: lossChannel(
        "loss",
        yTitle,
        paddedRange(
          test
            .flatMap((r) => [r.loss, r.lo, r.hi])
            .filter((v): v is number => typeof v === "number"),
        ),
      ),
    },
    layer: clip(zoomLayers),
  };
  return figure(`Forecast of ${f.target.model} (${f.family}, ${f.metric})`, subtitle, {
    hconcat: [overview, zoom],
    resolve: { scale: { x: "independent", y: "independent" } },
  });
}
