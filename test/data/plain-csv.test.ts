import assert from "node:assert/strict";
import { test } from "node:test";
import { parseNumber } from "../../src/data/cell-number.js";
import { loadRunsWithDuckDb } from "../../src/data/load.js";
import { readPlainCsv } from "../../src/data/plain-csv.js";
import type { LoadOptions } from "../../src/data/stage.js";
import type { RunTable } from "../../src/data/types.js";
import { rng } from "../../src/math/random.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";
import { LADDER_CSV, writeTemp } from "./files.js";

/** The DuckDB route's table, or the message it stops with. */
async function viaDuckDb(path: string, o: LoadOptions): Promise<RunTable | string> {
  try {
    return await loadRunsWithDuckDb(path, o);
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The JavaScript reader either declines or returns exactly the DuckDB route's table, whether it
 * reads the file at once or in 7-byte pieces (lines split across reads).
 */
async function same(path: string, o: LoadOptions = {}): Promise<RunTable | undefined> {
  const plain = readPlainCsv(path, o);
  assert.deepEqual(readPlainCsv(path, o, 7), plain);
  if (plain !== undefined) assert.deepEqual(plain, await viaDuckDb(path, o), path);
  return plain;
}

const NO_MODEL = `params,tokens,loss
6795600349.289497,1.4e12,2.1
1e16,2e5K,1.9
125M,3E+10,3.25
+.5e9,0007e9,3.0
1.3b,2.5e1M,2.95
`;

test("clean files read in JavaScript give the DuckDB route's table, names and all", async () => {
  const cases: [string, string, LoadOptions][] = [
    ["ladder.csv", LADDER_CSV, {}],
    ["no-final-newline.csv", LADDER_CSV.trimEnd(), {}],
    ["filtered.csv", LADDER_CSV, { where: "loss < 3.7 AND model <> 'l'" }],
    ["ladder.tsv", `\uFEFF${LADDER_CSV.replace(/,/g, "\t")}`, { setFamily: "x" }],
    ["nomodel.csv", NO_MODEL, { defaultFamily: "d" }],
    ["flops.csv", "params,flops,loss\n7e10,5.88e23,1.94\n1.3b,0.1e21,3\n", {}],
    [
      "steps.csv",
      "params,step,loss,budget,arch\n1e8,10,3.5,,gpt\n1e8,20,3.4,7,\n2e8,10,3.3,1e19,\n",
      { tokensPerStep: 4e6, extraColumns: ["budget"] },
    ],
    [
      "unique.csv",
      "params,tokens,unique_tokens,loss\n1e8,2e9,1e9,3.1\n1e8,2e9,,3.2\n1e8,4e9,2e9,3.0\n",
      {},
    ],
    [
      "long.csv",
      "family,model,seed,params,tokens,step,metric,value\nf,a,1,1e8,1e9,1,loss,3.5\nf,a,1,1e8,1e9,1,acc,0\nf,a,2,1e8,1e9,1,loss,3.6\nf,b,,2e8,2e9,2,loss,3.1\n",
      { metric: "loss" },
    ],
    [
      "long-all.csv",
      "model,params,tokens,step,metric,value\na,1e8,1e9,1,loss,3.5\na,1e8,1e9,1,ppl,33\n",
      {},
    ],
  ];
  for (const [name, text, o] of cases) {
    const path = writeTemp(name, text);
    assert.ok((await same(path, o)) !== undefined, `${name} should be read in JavaScript`);
  }
});

test("the Epoch extraction is read in JavaScript to the same table", {
  skip: sharedSkip("epoch-chinchilla/svg_extracted_data.csv"),
}, async () => {
  const path = sharedPath("epoch-chinchilla/svg_extracted_data.csv");
  const t = await same(path, { params: "Model Size", flops: "Training FLOP", metric: "loss" });
  assert.equal(t?.length, 245);
});

test("anything unusual is left to DuckDB, which reports it", async () => {
  const bad: [string, LoadOptions?][] = [
    [LADDER_CSV.replace("toy,s,125M,1e9", 'toy,"s",125M,1e9')],
    [LADDER_CSV.replace(/\n/g, "\r\n")],
    [LADDER_CSV.replace("0\ntoy,m", "0\n\ntoy,m")],
    [`${LADDER_CSV}\n`],
    [LADDER_CSV.replace("125M,1e9,3.9", ",1e9,3.9")],
    [LADDER_CSV.replace("125M,1e9,3.9", "125M,1.,3.9")],
    [LADDER_CSV.replace("125M,1e9,3.9", "125M,1_000e6,3.9")],
    [LADDER_CSV.replace("125M,1e9,3.9", "125 M,1e9,3.9")],
    [LADDER_CSV.replace("125M,1e9,3.9", " 125M,1e9,3.9")],
    [LADDER_CSV.replace("125M,1e9,3.9", "125M,inf,3.9")],
    [LADDER_CSV.replace("125M,1e9,3.9", "125M,1e9,-3.9")],
    [LADDER_CSV.replace("toy,s,125M,2e9,3.6,2000", "toy,s,125M,2e9,3.6,1000")],
    [LADDER_CSV.replace("toy,s,125M,1e9,3.9,1000", "toy,s,125M,1e9,3.6,2000")],
    [LADDER_CSV.replace("toy,s,125M,2e9", "toy,s,125M,0.5e9")],
    [LADDER_CSV.replace("toy,s,125M,2e9", "toy,s,126M,2e9")],
    [LADDER_CSV.replace("toy,s,125M,2e9,3.6,2000,0", "toy,s,125M,2e9,3.6,2000")],
    [LADDER_CSV.replace(/125M/g, "125").replace(/350M/g, "350").replace(/1\.3B/g, "1300")],
    [LADDER_CSV.replace(/,(\d)e9,/g, ",$1e3,")],
    [LADDER_CSV, { where: "log10(loss) < 1" }],
    [LADDER_CSV, { where: "seed = 0" }],
    [LADDER_CSV, { metric: "perplexity" }],
    ["family,model,params,tokens,loss,step,seed\n"],
    ["params,tokens,unique_tokens,loss\n1e8,2e9,3e9,3.1\n"],
  ];
  for (const [text, o] of bad) {
    const path = writeTemp("odd.csv", text);
    assert.equal(readPlainCsv(path, o ?? {}), undefined, JSON.stringify(text.slice(0, 200)));
    // Read in pieces of any size, wherever a piece ends (a blank last line after a piece's end
    // was once skipped).
    for (let chunk = 1; chunk <= 64; chunk++)
      assert.equal(readPlainCsv(path, o ?? {}, chunk), undefined, `${chunk}-byte pieces: ${text}`);
  }
});

test("random small files: declined, or the same table as DuckDB's", async () => {
  const u = rng(11, 1);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(u() * a.length)];
  const number = (v: number): string =>
    pick([
      () => String(v),
      () => v.toExponential(3),
      () => v.toExponential(2).toUpperCase(),
      () => `${(v / 1e6).toPrecision(4)}M`,
      () => `${(v / 1e9).toPrecision(3)}b`,
      () => `+${v}`,
      () => `0${v}`,
      () => pick(["", "1.", "nan", " 3", "1,5", "7e", "1e9_0"]),
    ])();
  let plain = 0;
  for (let f = 0; f < 40; f++) {
    const withModel = u() < 0.5;
    const withStep = u() < 0.5;
    const head = [withModel ? "model" : "", "params", "tokens", "loss", withStep ? "step" : ""];
    const lines = [head.filter(Boolean).join(",")];
    const rows = 3 + Math.floor(u() * 20);
    const odd = u() < 0.3;
    for (let i = 0; i < rows; i++) {
      const size = 1e7 * 10 ** Math.floor(u() * 4);
      const cells = [
        withModel ? `m${size}` : "",
        number(size),
        odd ? number(1e8 * (1 + i)) : String(1e8 * (1 + i)),
        (2 + u()).toFixed(4),
        withStep ? String(i + 1) : "",
      ];
      if (!odd) cells[1] = String(size);
      lines.push(cells.filter((_, j) => head[j] !== "").join(","));
    }
    const path = writeTemp("random.csv", `${lines.join("\n")}\n`);
    if ((await same(path)) !== undefined) plain++;
  }
  assert.ok(plain >= 10, `only ${plain} of 40 files were read in JavaScript`);
});

test("numbers read during the split are the doubles parseNumber reads from the cell", async () => {
  // Plain decimals (up to 15 digits, one point) are read as their bytes go by; every other cell
  // by parseNumber. Both must give the same double, bit for bit, for every cell either accepts.
  const u = rng(5, 9);
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(u() * 10)).join("");
  const cells = ["0", "7", "0007", ".5", "0.1", "00.250", "123456789012345", "1234567890.12345"];
  cells.push("1234567890123456", "12345678901234567890", "0.1234567890123456", "9007199254740993");
  cells.push("1e5", "-2.5", "+3", "1.5M", "2E-3k");
  for (let i = 0; i < 3000; i++) {
    const int = digits(Math.floor(u() * 17));
    const frac = u() < 0.7 ? `.${digits(1 + Math.floor(u() * 16))}` : "";
    cells.push(`${int || (frac ? "" : "0")}${frac}`);
  }
  const accepted = cells.filter((c) => parseNumber(Buffer.from(c), 0, c.length) !== undefined);
  const rows = accepted.map((c, i) => `1e8,${(i + 1) * 1e9},3.5,${c}`);
  const path = writeTemp("numbers.csv", `params,tokens,loss,x\n${rows.join("\n")}\n`);
  const t = await same(path, { extraColumns: ["x"] });
  assert.ok(t?.extra !== undefined, "read in JavaScript");
  accepted.forEach((c, i) => {
    const want = parseNumber(Buffer.from(c), 0, c.length);
    assert.ok(Object.is(t.extra?.x[i], want), `${c}: ${t.extra?.x[i]} read, ${want} parsed`);
  });
  assert.ok(accepted.length > 2900, `only ${accepted.length} cells accepted`);
});
