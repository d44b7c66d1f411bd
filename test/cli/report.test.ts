import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Script } from "node:vm";
import { runCli as run } from "../fixtures/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "scaleladder-report-"));
const BASE = ["report", "--builtin", "--bootstrap", "6", "--workers", "1", "--seed", "3"];

test("report HTML: self-contained, one spec per figure, scripts that parse, every section", async () => {
  const out = join(tmp(), "report.html");
  const r = await run([
    ...BASE,
    "--target-params",
    "7B",
    "--target-tokens",
    "140B",
    "--budget",
    "1e21",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(out, "utf8");
  assert.ok(
    !/<script[^>]+src=/.test(html) && !/<link[^>]+href=/.test(html),
    "nothing loaded from outside",
  );
  assert.ok(html.includes('t.version="5.33.1"'), "vega inlined");
  assert.ok(html.includes('var n="5.23.0"'), "vega-lite inlined");
  assert.ok(html.includes('fn="6.29.0"'), "vega-embed inlined");
  // fit, residuals, compute, contours, bootstrap: one embedded spec and one <div> each.
  const ids = [...html.matchAll(/vegaEmbed\("#(fig-[a-z]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, [
    "fig-fit",
    "fig-residuals",
    "fig-compute",
    "fig-contours",
    "fig-bootstrap",
  ]);
  for (const id of ids) assert.ok(html.includes(`<div id="${id}"`), id);
  // Every inline script is valid JavaScript (the libraries' text survived being inlined).
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 4);
  for (const s of scripts) new Script(s);
  for (const h of ["Data", "Fit", "Forecast and plan", "Figures", "Settings to reproduce"])
    assert.ok(html.includes(`<h2>${h}</h2>`), h);
  // (assert.ok, not match: a failing match would print the whole 1 MB page.)
  assert.ok(html.includes("Predicted loss of N = 7B trained on D = 140B tokens"), "forecast");
  assert.ok(html.includes("Compute-optimal at C = 1e21 FLOPs"), "plan");
  assert.ok(
    html.includes("&#34;command&#34;: &#34;scaleladder report --builtin --bootstrap 6"),
    "command",
  );
});

test("report --format md: Markdown with one PNG per figure beside it", async () => {
  const dir = tmp();
  const out = join(dir, "r.md");
  const r = await run([...BASE, "--format", "md", "--out", out]);
  assert.equal(r.code, 0, r.err);
  const md = readFileSync(out, "utf8");
  const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(images, [
    "r-fit.png",
    "r-residuals.png",
    "r-compute.png",
    "r-contours.png",
    "r-bootstrap.png",
  ]);
  for (const i of images)
    assert.equal(readFileSync(join(dir, i)).subarray(1, 4).toString("latin1"), "PNG");
  assert.match(md, /^\| E \| [\d.]+ \| \[[\d.]+, [\d.]+\] \| irreducible loss \|$/m);
});

test("report usage errors are one line with exit code 2", async () => {
  const dir = tmp();
  for (const argv of [
    ["report", "--builtin"],
    ["report", "--builtin", "--target-params", "7B", "--out", join(dir, "a.html")],
    ["report", "--builtin", "--family", "nope", "--out", join(dir, "a.html")],
  ]) {
    const r = await run(argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  }
  assert.ok(!existsSync(join(dir, "a.html")));
});
