import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli as run } from "../fixtures/cli.js";
import { EPOCH_FILE, EPOCH_FLAGS } from "../fixtures/epoch.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";

const tmp = () => mkdtempSync(join(tmpdir(), "scaleladder-plot-"));

/** Checks a written figure by its format: an SVG document, a PNG, Vega-Lite JSON or a page. */
function assertFigure(path: string): void {
  const bytes = readFileSync(path);
  if (path.endsWith(".svg")) assert.match(bytes.toString("utf8"), /^<svg [^>]*width="\d+"/);
  else if (path.endsWith(".png")) assert.equal(bytes.subarray(1, 4).toString("latin1"), "PNG");
  else if (path.endsWith(".vl.json"))
    assert.match(JSON.parse(bytes.toString("utf8")).$schema, /vega-lite\/v5/);
  else assert.match(bytes.toString("utf8"), /^<!DOCTYPE html>[\s\S]*vegaEmbed\(/);
}

test("plot fit on the Epoch data with a 70B/1.4T target: .png, .svg, .vl.json, .html (acceptance)", {
  skip: sharedSkip(EPOCH_FILE),
}, async () => {
  const dir = tmp();
  for (const ext of [".png", ".svg", ".vl.json", ".html"]) {
    const out = join(dir, `fit${ext}`);
    const r = await run([
      "plot",
      "fit",
      sharedPath(EPOCH_FILE),
      ...EPOCH_FLAGS,
      "--target-params",
      "70B",
      "--target-tokens",
      "1.4T",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    assertFigure(out);
  }
  const spec = JSON.parse(readFileSync(join(dir, "fit.vl.json"), "utf8"));
  assert.match(spec.title.text, /^chinchilla law fitted by huber-log: converged/);
  assert.ok(
    spec.title.subtitle.some((l: string) => l.startsWith("target N=70B, D=1.4T")),
    spec.title.subtitle.join("\n"),
  );
  // With a target, plot fit resamples 100 times by default and draws the band.
  assert.match(spec.title.subtitle.join(" "), /95% bootstrap interval over 100 resamples/);
});

test("fit --plot and predict --plot write the fit figure beside the usual output", {
  skip: sharedSkip(EPOCH_FILE),
}, async () => {
  const dir = tmp();
  const f = await run([
    "fit",
    sharedPath(EPOCH_FILE),
    ...EPOCH_FLAGS,
    "--plot",
    join(dir, "fit.svg"),
  ]);
  assert.equal(f.code, 0, f.err);
  assert.match(f.out, /^law {8}chinchilla/);
  assertFigure(join(dir, "fit.svg"));
  const p = await run([
    "predict",
    sharedPath(EPOCH_FILE),
    ...EPOCH_FLAGS,
    "--params",
    "70B",
    "--tokens",
    "1.4T",
    "--plot",
    join(dir, "p.vl.json"),
  ]);
  assert.equal(p.code, 0, p.err);
  const spec = JSON.parse(readFileSync(join(dir, "p.vl.json"), "utf8"));
  assert.ok(spec.title.subtitle.some((l: string) => l.startsWith("target N=70B, D=1.4T")));
});

test("plot isoflop and contours from the Epoch data", {
  skip: sharedSkip(EPOCH_FILE),
}, async () => {
  const dir = tmp();
  for (const kind of ["isoflop", "contours"]) {
    const out = join(dir, `${kind}.vl.json`);
    const r = await run(["plot", kind, sharedPath(EPOCH_FILE), ...EPOCH_FLAGS, "--out", out]);
    assert.equal(r.code, 0, r.err);
    assertFigure(out);
  }
});

test("plot contours from a preset needs no budget; plan --plot marks the budget", async () => {
  const dir = tmp();
  const r = await run(["plot", "contours", "--preset", "hoffmann", "--out", join(dir, "c.svg")]);
  assert.equal(r.code, 0, r.err);
  assertFigure(join(dir, "c.svg"));
  const p = await run([
    "plan",
    "--preset",
    "hoffmann",
    "--budget",
    "5.76e23",
    "--plot",
    join(dir, "plan.vl.json"),
  ]);
  assert.equal(p.code, 0, p.err);
  const spec = JSON.parse(readFileSync(join(dir, "plan.vl.json"), "utf8"));
  assert.ok(spec.title.subtitle.some((l: string) => l.includes("C = 5.76e23: N = 32.2B")));
});

test("evaluate --plot and plot forecast write the forecast figure", async () => {
  const dir = tmp();
  const e = await run(["evaluate", "--builtin", "--plot", join(dir, "e.vl.json")]);
  assert.equal(e.code, 0, e.err);
  const spec = JSON.parse(readFileSync(join(dir, "e.vl.json"), "utf8"));
  assert.match(spec.title.text, /^Forecast of sim-7B/);
  const p = await run(["plot", "forecast", "--builtin", "--out", join(dir, "f.png")]);
  assert.equal(p.code, 0, p.err);
  assertFigure(join(dir, "f.png"));
});

test("plot fit --target-model holds a model out and draws its actual curve", async () => {
  const out = join(tmp(), "h.vl.json");
  const r = await run([
    "plot",
    "fit",
    "--builtin",
    "--target-model",
    "sim-7B",
    "--bootstrap",
    "4",
    "--workers",
    "1",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.err);
  const spec = JSON.parse(readFileSync(out, "utf8"));
  const crosses = spec.layer.find((l: { mark?: { shape?: string } }) => l.mark?.shape === "cross");
  assert.ok(crosses && crosses.data.values.length > 10, "the held-out curve");
  // The fit did not see it: no 7B among the sizes coloured.
  assert.ok(
    !spec.encoding.color &&
      !JSON.stringify(spec.layer[0].encoding.color.scale.domain).includes("7B"),
  );
  const bad = await run(["plot", "fit", "--builtin", "--target-model", "sim-8B", "--out", out]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /did you mean "sim-7B"\?/);
});

test("plot residuals, compute and bootstrap on the built-in ladder", async () => {
  const dir = tmp();
  for (const kind of ["residuals", "compute", "bootstrap"]) {
    const r = await run([
      "plot",
      kind,
      "--builtin",
      "--bootstrap",
      "8",
      "--workers",
      "1",
      "--out",
      join(dir, `${kind}.svg`),
    ]);
    assert.equal(r.code, 0, `${kind}: ${r.err}`);
    assertFigure(join(dir, `${kind}.svg`));
  }
});

test("analyze --plot and --figures, then plot heatmap from the folder", async () => {
  const dir = tmp();
  const r = await run([
    "analyze",
    "--builtin",
    "--experiment",
    "grid,window,number-vs-size",
    "--workers",
    "1",
    "--out",
    join(dir, "an"),
    "--plot",
    join(dir, "agg.svg"),
    "--figures",
    join(dir, "fig"),
  ]);
  assert.equal(r.code, 0, r.err);
  assertFigure(join(dir, "agg.svg"));
  for (const name of ["heatmap-all-default", "heatmap-simulated-chinchilla-default"]) {
    assertFigure(join(dir, "fig", `${name}.png`));
    assertFigure(join(dir, "fig", `${name}.vl.json`));
  }
  const fam = JSON.parse(
    readFileSync(join(dir, "fig", "heatmap-simulated-chinchilla-default.vl.json"), "utf8"),
  );
  // The paper's Fig. 1 layout: windows, the main grid, number vs size.
  assert.deepEqual(
    fam.hconcat.map((p: { title: string }) => p.title.split(": ")[1]),
    [
      "closer in scale (windows of consecutive models)",
      "#train models × fraction",
      "number vs size (p = 1)",
    ],
  );
  const h = await run([
    "plot",
    "heatmap",
    join(dir, "an"),
    "--family",
    "simulated-chinchilla",
    "--out",
    join(dir, "h.html"),
  ]);
  assert.equal(h.code, 0, h.err);
  assertFigure(join(dir, "h.html"));
});

test("bad plot usage is a one-line error with exit code 2, and nothing is written", async () => {
  const dir = tmp();
  for (const argv of [
    ["plot", "pie", "--builtin", "--out", join(dir, "x.png")],
    ["plot", "fit", "--builtin", "--out", join(dir, "x.jpg")],
    ["plot", "fit", "--builtin"],
    ["plot", "fit", "--builtin", "--target-params", "70B", "--out", join(dir, "x.png")],
    ["plot", "heatmap", join(dir, "missing"), "--out", join(dir, "x.png")],
    ["analyze", "--builtin", "--plot", join(dir, "x.gif")],
  ]) {
    const r = await run(argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  }
  assert.ok(!existsSync(join(dir, "x.png")));
});
