import assert from "node:assert/strict";
import { test } from "node:test";
import { loadRunsWithDuckDb } from "../../src/data/load.js";
import { readPlainCsv } from "../../src/data/plain-csv.js";
import type { LoadOptions } from "../../src/data/stage.js";
import type { RunTable } from "../../src/data/types.js";
import { compileWhere, type WhereRow } from "../../src/data/where-eval.js";
import { rng } from "../../src/math/random.js";
import { writeTemp } from "./files.js";

const ROW: WhereRow = {
  family: "f",
  model: "m1",
  metric: "loss",
  seed: "0",
  arch: null,
  dataset: "web",
  source: null,
  params: 1e8,
  tokens: 2e9,
  flops: 1.2e18,
  value: 3.44,
  step: 100,
  unique_tokens: null,
};

const keeps = (where: string, row: WhereRow = ROW) => {
  const f = compileWhere(where);
  assert.ok(f, `${where} should compile`);
  return f(row);
};

test("filters over the canonical columns are evaluated with SQL's NULL logic", () => {
  assert.equal(keeps("loss < 3.44"), false);
  assert.equal(keeps("loss <= 3.44 AND params >= 1e8"), true);
  assert.equal(keeps('LOSS = 3.44 and "params" = 100000000'), true);
  assert.equal(keeps("tokens / params > 19.5 AND -step < 0"), true);
  assert.equal(keeps("model IN ('m0', 'm1') AND family NOT IN ('g')"), true);
  assert.equal(keeps("step BETWEEN 100 AND 200 AND NOT step NOT BETWEEN 1 AND 100"), true);
  assert.equal(keeps("arch IS NULL AND dataset IS NOT NULL"), true);
  assert.equal(keeps("model LIKE 'm_' AND family ILIKE 'F%' AND dataset NOT LIKE '%b_'"), true);
  // NULL is neither true nor false: NOT of it, and IN with it, stay NULL (the row is dropped).
  assert.equal(keeps("arch = 'x' OR NOT arch = 'x'"), false);
  assert.equal(keeps("arch = 'x' OR loss > 3"), true);
  assert.equal(keeps("NOT loss IN (1, unique_tokens)"), false);
  assert.equal(keeps("loss IN (1, unique_tokens, 3.44)"), true);
  assert.equal(keeps("coalesce(unique_tokens, tokens) = tokens AND abs(-loss) = loss"), true);
  assert.equal(keeps("floor(loss) = 3 AND ceil(loss) = 4 AND isfinite(loss)"), true);
  assert.equal(keeps("lower(upper(model)) = model AND starts_with(model, 'm')"), true);
  assert.equal(keeps("contains(model, '1') AND ends_with(dataset, 'eb')"), true);
  assert.equal(keeps("TRUE"), true);
  assert.equal(keeps("FALSE OR unique_tokens > 0"), false);
  // Text is ordered by code point (UTF-8 bytes), not by UTF-16 unit.
  assert.equal(keeps("model < '\u{1F600}'", { ...ROW, model: "\uFF21" }), true);
  assert.equal(keeps("model > 'm'"), true);
});

test("anything not surely DuckDB's meaning is left to DuckDB", () => {
  for (const w of [
    "shots = 0", // the file's own columns: DuckDB infers their types
    "r > 0",
    "log10(params) > 8", // rounding of transcendental functions may differ
    "round(loss, 1) = 3.4",
    "loss % 2 > 1",
    "'x' || model = 'xm1'",
    "1 + 2 = 3", // constants follow DuckDB's INTEGER and DECIMAL arithmetic
    "3.4 + 0.04 < loss",
    "loss = NULL",
    "model = 1",
    "loss = '3.44'",
    "(loss < 4) = TRUE",
    "loss",
    "loss < 1234567890123456", // more digits than a double holds exactly
    "loss < 0.0000000000000001",
    "loss < 1e-300",
    '"Loss" < 4',
    "model LIKE 'ü%'",
    "model LIKE family",
    "loss <",
  ])
    assert.equal(compileWhere(w), undefined, w);
});

test("rows whose answer could differ make the reader decline", () => {
  const f = compileWhere("loss / (step - 100) > 0 OR loss > 0");
  assert.throws(() => f?.(ROW));
  const g = compileWhere("lower(model) = 'm1'");
  assert.throws(() => g?.({ ...ROW, model: "Ä" }));
});

/** A ladder with optional text and numbers, some empty, some not ASCII. */
function ladder(seed: number): string {
  const u = rng(seed);
  const lines = ["family,model,seed,params,tokens,step,loss,arch,unique_tokens"];
  const arch = ["gpt", "llama", "", "ünï", "Gpt", "\uFF21", "\u{1F600}"];
  for (let m = 0; m < 7; m++) {
    const params = [1e8, 2e8, 4.5e8, 1e9, 1.5e9, 3e9, 7e9][m];
    const fam = m % 2 === 0 ? "f" : "g";
    const a = arch[m % arch.length];
    for (let k = 1; k <= 5; k++) {
      const step = k * 100;
      const loss = (2 + 3 / (m + 1) / Math.sqrt(k) + Math.floor(u() * 50) / 1000).toFixed(3);
      const ut = u() < 0.5 ? "" : String(step * 1e6);
      lines.push(
        `${fam},m${m},${m % 3 === 0 ? "" : "1"},${params},${step * 1e6},${step},${loss},${a},${ut}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A long log: two metrics a row each, tokens from steps, seeds as numbers. */
function longLog(seed: number): string {
  const u = rng(seed);
  const lines = ["model,params,step,seed,metric,value"];
  for (let m = 0; m < 5; m++)
    for (const s of [1, 2])
      for (let k = 1; k <= 4; k++) {
        const loss = (2 + 2 / (m + 1) / Math.sqrt(k) + Math.floor(u() * 40) / 1000).toFixed(3);
        lines.push(`m${m},${(m + 1) * 1e8},${k * 1000},${s},loss,${loss}`);
        lines.push(`m${m},${(m + 1) * 1e8},${k * 1000},${s},acc,${(u() / 2).toFixed(2)}`);
      }
  return `${lines.join("\n")}\n`;
}

/** Final losses without model names (runs named by size and tokens), unique tokens on some. */
function finalLosses(seed: number): string {
  const u = rng(seed);
  const lines = ["params,tokens,unique_tokens,loss"];
  for (let m = 0; m < 6; m++)
    for (let k = 1; k <= 5; k++) {
      const tokens = k * 2e9;
      const unique = u() < 0.5 ? "" : String(tokens / (1 + Math.floor(u() * 4)));
      const loss = (2 + 3 / (m + 1) / Math.sqrt(k) + Math.floor(u() * 50) / 1000).toFixed(3);
      lines.push(`${(m + 1) * 5e7},${tokens},${unique},${loss}`);
    }
  return `${lines.join("\n")}\n`;
}

/** A random filter from the grammar, mostly within what JavaScript evaluates, some not. */
function filter(u: () => number, data: string): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(u() * xs.length)];
  const lines = data.trim().split("\n");
  const names = lines[0].split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  const cells = rows.flat().filter((c) => /^\d/.test(c));
  /** A cell of the column (so `=`, `<=` and BETWEEN meet their edge), or of any column. */
  const cellOf = (col: string) => {
    const alias = col === "value" ? "loss" : col === "loss" ? "value" : col;
    const j = Math.max(names.indexOf(col), names.indexOf(alias));
    const c = j < 0 ? "" : pick(rows)[j];
    return /^\d/.test(c) ? c : pick(cells);
  };
  const numLit = () =>
    pick([
      () => pick(cells),
      () => String(Math.floor(u() * 600)),
      () => (u() * 5).toFixed(2),
      () => `${(1 + Math.floor(u() * 9)).toString()}e${Math.floor(u() * 12)}`,
      () => ".5",
    ])();
  const numCol = () =>
    pick(["params", "tokens", "flops", "loss", "value", "step", "unique_tokens"]);
  const num = (d: number): string =>
    d <= 0
      ? u() < 0.6
        ? numCol()
        : numLit()
      : pick([
          () => numCol(),
          () => `${num(d - 1)} ${pick(["+", "-", "*", "/"])} ${num(d - 1)}`,
          () => `-${num(d - 1)}`,
          () => `abs(${num(d - 1)})`,
          () => `floor(${num(d - 1)})`,
          () => `coalesce(unique_tokens, ${num(d - 1)})`,
          () => `(${num(d - 1)})`,
        ])();
  const textCol = () => pick(["family", "model", "seed", "arch", "metric"]);
  const textLit = () =>
    `'${pick(["f", "g", "m1", "m3", "1", "gpt", "Gpt", "ünï", "", "loss", "it''s"])}'`;
  const text = () => pick([textCol, textCol, textLit, () => `lower(${textCol()})`])();
  const pred = (d: number): string =>
    pick([
      () => `${num(2)} ${pick(["=", "<>", "<", "<=", ">", ">=", "!=", "=="])} ${num(1)}`,
      () => {
        const c = numCol();
        return `${c} ${pick(["=", "<>", "<", "<=", ">", ">="])} ${cellOf(c)}`;
      },
      () => {
        const c = numCol();
        return `${c} ${u() < 0.3 ? "NOT " : ""}BETWEEN ${cellOf(c)} AND ${cellOf(c)}`;
      },
      () => `${numCol()} NOT IN (${numLit()}, unique_tokens)`,
      () =>
        `arch ${pick(["<", ">", "<=", ">="])} ${pick(["'\uFF21'", "'\u{1F600}'", "'ünï'", "'gpt'"])}`,
      () => `${text()} ${pick(["=", "<>", "<", ">="])} ${text()}`,
      () => `${numCol()} ${u() < 0.3 ? "NOT " : ""}IN (${numLit()}, ${num(0)}, ${numLit()})`,
      () => `${textCol()} ${u() < 0.3 ? "NOT " : ""}IN (${textLit()}, ${textLit()})`,
      () => `${num(1)} ${u() < 0.3 ? "NOT " : ""}BETWEEN ${num(0)} AND ${num(1)}`,
      () => `${pick([numCol(), textCol()])} IS ${u() < 0.5 ? "NOT " : ""}NULL`,
      () =>
        `${textCol()} ${u() < 0.3 ? "NOT " : ""}${pick(["LIKE", "ILIKE"])} '${pick(["%", "m_", "G%", "%1", "_", "f"])}'`,
      () => `${pick(["starts_with", "ends_with", "contains"])}(${textCol()}, ${textLit()})`,
      () => pick(["TRUE", "FALSE", "isfinite(loss)", "log10(params) > 8.5", "shots = 0"]),
      () => (d > 0 ? `NOT (${pred(d - 1)})` : "TRUE"),
      () => (d > 0 ? `(${pred(d - 1)} ${pick(["AND", "OR"])} ${pred(d - 1)})` : "FALSE"),
    ])();
  return pred(3);
}

async function duck(path: string, o: LoadOptions): Promise<RunTable | string> {
  try {
    return await loadRunsWithDuckDb(path, o);
  } catch (e) {
    return (e as Error).message;
  }
}

test("filters read in JavaScript keep exactly the DuckDB route's rows (random filters)", async () => {
  const u = rng(20261201);
  let read = 0;
  let cases = 0;
  // Wide and long files, tokens given or derived from steps, runs named by their sizes, TSV.
  const files: [string, string, LoadOptions][] = [
    ["ladder-0.csv", ladder(0), {}],
    ["ladder-1.tsv", ladder(1).replaceAll(",", "\t"), { setFamily: "x" }],
    ["long.csv", longLog(2), { metric: "loss", tokensPerStep: 1e6 }],
    ["sizes.csv", finalLosses(3), { defaultFamily: "d" }],
  ];
  for (const [name, data, options] of files) {
    const path = writeTemp(name, data);
    for (let i = 0; i < 55; i++) {
      const where = filter(u, data.replaceAll("\t", ","));
      const o = { ...options, where };
      const plain = readPlainCsv(path, o);
      cases++;
      if (plain === undefined) continue;
      read++;
      assert.deepEqual(plain, await duck(path, o), where);
    }
  }
  // Most filters are in the part JavaScript evaluates, so the comparison is not vacuous.
  assert.ok(read > cases / 3, `${read} of ${cases} read in JavaScript`);
});
