import assert from "node:assert/strict";
import { test } from "node:test";
import { type PlotKind, plotSpec } from "../../src/report/plots/index.js";
import { fonts, renderPng, renderSvg, toHtml } from "../../src/report/render.js";
import { plotFixtures } from "../fixtures/plots.js";

const inputs = plotFixtures();
const spec = (kind: PlotKind) => plotSpec(kind, inputs[kind] as never);

/** Text of the SVG's <text> elements. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** Items the SVG drew in mark groups of one type (`symbol`, `rect`, `area`, `line`). */
function marks(svg: string, type: string): number {
  let n = 0;
  for (const m of svg.matchAll(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>`, "g"))) {
    const start = (m.index ?? 0) + m[0].length;
    n += svg.slice(start, svg.indexOf("</g>", start)).split("<path").length - 1;
  }
  return n;
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png);
  assert.equal(b.subarray(1, 4).toString("latin1"), "PNG");
  assert.equal(b.subarray(12, 16).toString("latin1"), "IHDR");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** What each figure's SVG must show: axis titles, count tick labels of its log axes, and marks. */
const EXPECT: Record<PlotKind, { titles: string[]; ticks?: string[]; marks: [string, number][] }> =
  {
    // 3 sizes × 4 checkpoints, plus the target's diamond.
    fit: {
      titles: ["training tokens D", "loss L", "parameters N"],
      ticks: ["1B", "10B", "100B", "1T"],
      marks: [["symbol", 13]],
    },
    // The same 12 rows in each of the two panels.
    residuals: {
      titles: ["training tokens D", "parameters N", "relative residual (L̂ − L)/L"],
      ticks: ["100M", "1B"],
      marks: [["symbol", 24]],
    },
    compute: {
      titles: ["FLOPs C = 6ND", "loss L"],
      ticks: ["1e18", "1e20", "1e22"],
      marks: [["symbol", 13]],
    },
    // 15 runs + 3 minima on the left; 3 N* and 3 D* on the right.
    isoflop: {
      titles: ["parameters N", "FLOPs C = 6ND", "loss L"],
      marks: [["symbol", 24]],
    },
    // 12 runs + the budget's diamond.
    contours: {
      titles: ["parameters N", "training tokens D"],
      ticks: ["10M", "1B", "100B", "1T", "10T"],
      marks: [["symbol", 13]],
    },
    forecast: {
      titles: ["training tokens D", "loss L"],
      ticks: ["10B", "100B"],
      marks: [],
    },
    // 3 finite cells (the failed one is not filled) + the outline of the one under 5%.
    heatmap: { titles: ["fraction of training p", "#train models"], marks: [["rect", 4]] },
    // 5 free parameters: 10 panels of 5 resamples and the full fit each.
    bootstrap: { titles: ["E", "A", "B", "alpha", "beta"], marks: [["symbol", 60]] },
  };

for (const kind of Object.keys(EXPECT) as PlotKind[]) {
  test(`${kind}: SVG shows its axis titles, log tick labels and marks`, async () => {
    const svg = await renderSvg(spec(kind));
    const t = texts(svg);
    const e = EXPECT[kind];
    for (const title of e.titles) assert.ok(t.includes(title), `${kind}: no axis title "${title}"`);
    for (const tick of e.ticks ?? [])
      assert.ok(t.includes(tick), `${kind}: no tick label "${tick}"`);
    assert.ok(
      !t.some((s) => /^\d{1,3}(,\d{3}){2,}$/.test(s)),
      `${kind}: a count printed with commas`,
    );
    for (const [mark, n] of e.marks) assert.equal(marks(svg, mark), n, `${kind}: ${mark} marks`);
  });
}

test("fit: the target's curve is dashed and its band drawn", async () => {
  const svg = await renderSvg(spec("fit"));
  assert.match(svg, /stroke-dasharray="6,4"/);
  assert.equal(marks(svg, "area"), 1);
});

test("PNG decodes to the SVG's size times the scale", async () => {
  const s = spec("compute");
  const svg = await renderSvg(s);
  const w = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
  const h = Number(/<svg[^>]* height="(\d+)"/.exec(svg)?.[1]);
  for (const scale of [1, 2]) {
    const size = pngSize(await renderPng(s, { scale }));
    assert.deepEqual(size, { width: w * scale, height: h * scale });
  }
});

test("PNG draws text with the font found", {
  skip: fonts().files.length === 0 && "no known font file on this machine",
}, async () => {
  // Two figures that differ only in their title: without a font both would render blank text.
  const base = spec("heatmap");
  const a = await renderPng({ ...base, title: "AAAA" }, { scale: 1 });
  const b = await renderPng({ ...base, title: "WWWW" }, { scale: 1 });
  assert.notDeepEqual(Buffer.from(a), Buffer.from(b));
});

test("renderPng rejects a scale out of range", async () => {
  await assert.rejects(renderPng(spec("heatmap"), { scale: 0 }), /scale must be in/);
});

test("HTML is self-contained: the three libraries inlined and the spec embedded", () => {
  const html = toHtml(spec("fit"), "fit");
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(!/<script[^>]+src=/.test(html), "no external script");
  assert.ok(!/<link[^>]+href=/.test(html), "no external stylesheet");
  // Each library's own version string, as its minified build declares it.
  assert.ok(html.includes('t.version="5.33.1"'), "vega inlined");
  assert.ok(html.includes('var n="5.23.0"'), "vega-lite inlined");
  assert.ok(html.includes('fn="6.29.0"'), "vega-embed inlined");
  assert.equal(html.split("vegaEmbed(").length - 1, 1, "one figure embedded");
  assert.ok(html.includes('"training tokens D"'), "the spec itself is in the page");
});

test("bootstrap with one free parameter draws its histogram", async () => {
  const f = inputs.bootstrap.fit;
  const fixed = {
    ...f,
    choices: { ...f.choices, fixed: { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34 } },
  };
  const svg = await renderSvg(plotSpec("bootstrap", { ...inputs.bootstrap, fit: fixed }));
  assert.ok(texts(svg).includes("resamples"));
  assert.ok(marks(svg, "rect") >= 1);
});

test("heatmap: the iso-FLOP step runs along the right edge of the last cell costing no more than the star", () => {
  const spec = plotSpec("heatmap", inputs.heatmap) as { layer: { data: { values: unknown[] } }[] };
  const steps = spec.layer.find((l) =>
    (l.data.values as { px?: number }[]).some((v) => v.px !== undefined),
  );
  assert.ok(steps, "no step layer");
  const tenPct = (steps.data.values as { px: number; threshold: string }[])
    .filter((v) => v.threshold === "10%")
    .map((v) => v.px);
  // Star at row 2, 100% (cost 2). Row 3 (top): 50% costs 2, 100% costs 3 → edge after column 1;
  // row 2: both cost ≤ 2 → edge after column 2. Two columns of 44 px.
  assert.deepEqual(tenPct, [44, 44, 88, 88]);
});
