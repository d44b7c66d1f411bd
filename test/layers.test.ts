import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { repoRoot } from "./fixtures/shared.js";

/**
 * The dependency direction of docs/ARCHITECTURE.md: a folder may import its own files and those of
 * lower tiers only. `errors.ts` is shared by all; `index.ts` is the public surface above them.
 */
const TIERS: Record<string, number> = {
  "errors.ts": 0,
  math: 1,
  data: 2,
  laws: 3,
  fit: 4,
  estimate: 5,
  plan: 5,
  analysis: 5,
  report: 6,
  cli: 7,
  server: 7,
  "index.ts": 8,
};

const src = resolve(repoRoot, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** Relative imports (static, `export … from`, and dynamic `import("…")`) of one file, resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"/g),
    ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
  ].map((m) => m[1]);
  return specs
    .filter((s) => s.startsWith("."))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")));
}

/** The top folder under src/ (or the file name for files directly in src/). */
const unit = (file: string) => relative(src, file).split("/")[0];

const files = sourceFiles(src);
const edges = files.flatMap((f) => importsOf(f).map((to) => ({ from: f, to })));

test("every src file's imports resolve to src files (the scan sees them all)", () => {
  assert.ok(files.length > 50);
  const known = new Set(files);
  const missing = edges.filter((e) => !known.has(e.to)).map((e) => relative(src, e.from));
  assert.deepEqual(missing, []);
});

test("imports point down the layers: math → data → laws → fit → estimate/plan/analysis → report → cli", () => {
  const upward = edges
    .filter((e) => {
      const [a, b] = [TIERS[unit(e.from)], TIERS[unit(e.to)]];
      assert.ok(a !== undefined && b !== undefined, `no tier for ${unit(e.from)} or ${unit(e.to)}`);
      return b > a;
    })
    .map((e) => `${relative(src, e.from)} → ${relative(src, e.to)}`);
  assert.deepEqual(upward, []);
});

test("the folder graph has no cycle (siblings of a tier may depend on each other one way only)", () => {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const [a, b] = [unit(e.from), unit(e.to)];
    if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
  }
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (n: string, path: string[]) => {
    if (state.get(n) === "done") return;
    if (state.get(n) === "open") {
      cycles.push([...path.slice(path.indexOf(n)), n].join(" → "));
      return;
    }
    state.set(n, "open");
    for (const m of graph.get(n) ?? []) visit(m, [...path, n]);
    state.set(n, "done");
  };
  for (const n of graph.keys()) visit(n, []);
  assert.deepEqual(cycles, []);
});

test("no file-level import cycle", () => {
  const graph = new Map<string, string[]>();
  for (const e of edges) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (n: string, path: string[]) => {
    if (state.get(n) === "done") return;
    if (state.get(n) === "open") {
      cycles.push([...path.slice(path.indexOf(n)), n].map((f) => relative(src, f)).join(" → "));
      return;
    }
    state.set(n, "open");
    for (const m of graph.get(n) ?? []) visit(m, [...path, n]);
    state.set(n, "done");
  };
  for (const n of files) visit(n, []);
  assert.deepEqual(cycles, []);
});
