import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { openStore } from "../../src/data/store.js";
import { InputError, InputErrors } from "../../src/errors.js";
import { tempDir } from "./files.js";

/**
 * Issue 11's acceptance test: a 200,000-row long file with bad rows planted at known places. The
 * expected messages are built here from the planted positions (line = row + 2, the header being
 * line 1; column = the cell's position), not read back from the code, so whatever way the import
 * checks the file (row by row, or in SQL over the whole relation) it must name the same
 * file:line:column with the same reason.
 */
const ROWS = 200_000;
const HEADER = ["family", "model", "params", "tokens", "step", "seed", "metric", "value"];
const COL = Object.fromEntries(HEADER.map((h, i) => [h, i + 1]));

/** A clean sweep log: 100 models × 1,000 steps × 2 metrics, row i on line i + 2. */
function cleanRows(): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < ROWS; i++) {
    const m = Math.floor(i / 2000);
    const step = 1 + (Math.floor(i / 2) % 1000);
    const metric = i % 2 === 0 ? "loss" : "eval/c4";
    const params = `${20 + 10 * m}M`;
    const value = (2 + 100 / (step + 10) + (i % 2) * 0.1).toFixed(5);
    rows.push(["fam", `m${m}`, params, String(step * 4e6), String(step), "0", metric, value]);
  }
  return rows;
}

function write(rows: string[][]): string {
  const file = join(tempDir(), "planted.csv");
  writeFileSync(file, `${[HEADER, ...rows].map((r) => r.join(",")).join("\n")}\n`);
  return file;
}

/** The problems an import reports: file:line:column and reason of each (hints checked apart). */
async function problems(
  file: string,
  strict = false,
): Promise<{ heading: string; lines: string[] }> {
  const store = await openStore(join(tempDir(), "runs.duckdb"));
  try {
    await store.importFile(file, { strict });
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    const list = e instanceof InputErrors ? e.problems : [e];
    return {
      heading: e.message.split("\n")[0],
      lines: list.map((p) => `${p.file}:${p.line}:${p.column}: ${p.reason}`),
    };
  } finally {
    await store.close();
  }
  assert.fail("the import should have been refused");
}

test("unreadable and empty cells of a 200k-row file: the same file:line:column messages", async () => {
  const rows = cleanRows();
  const plant: [number, string, string, string][] = [
    [17, "value", "x", 'value is not a finite number ("x")'],
    [4_001, "params", "", "params is empty"],
    [65_536, "tokens", "12Q", 'tokens is not a finite number ("12Q")'],
    [150_001, "value", "", "value is empty"],
    [199_998, "step", "1.2.3", 'step is not a finite number ("1.2.3")'],
  ];
  for (const [r, col, cell] of plant) rows[r][COL[col] - 1] = cell;
  const file = write(rows);
  const expected = (p: typeof plant) =>
    p.map(([r, col, , reason]) => `${file}:${r + 2}:${COL[col]}: ${reason}`);
  // --strict refuses empty cells; otherwise their rows are skipped and only the unreadable remain.
  const strict = await problems(file, true);
  assert.equal(strict.heading, `5 problems in ${file}`);
  assert.deepEqual(strict.lines, expected(plant));
  const lenient = await problems(file);
  assert.equal(lenient.heading, `3 problems in ${file}`);
  assert.deepEqual(lenient.lines, expected(plant.filter(([, , cell]) => cell !== "")));
});

test("rows that break the checks in a 200k-row file: the same file:line:column messages", async () => {
  const rows = cleanRows();
  rows[0][COL.tokens - 1] = "-5"; // tokens must be positive (first step: nothing before it)
  rows[30_000][COL.step - 1] = "-1"; // step must not be negative
  rows[90_001][COL.params - 1] = "999M"; // another size for model m45
  rows[120_002] = [...rows[120_000]]; // the same checkpoint twice …
  rows[120_002][COL.value - 1] = "9.99999"; // … with another value
  rows[170_004][COL.tokens - 1] = "4000000"; // tokens fall as steps rise
  const file = write(rows);
  const got = await problems(file);
  const line = (r: number) => r + 2;
  assert.deepEqual(got.lines, [
    `${file}:${line(0)}:${COL.tokens}: tokens must be positive, got -5`,
    `${file}:${line(30_000)}:${COL.step}: step must not be negative, got -1`,
    `${file}:${line(90_001)}:${COL.params}: model "m45" has params 999000000 here but 470000000 at line ${line(90_000)}`,
    `${file}:${line(120_002)}:${COL.value}: duplicate checkpoint of model "m60" at step 1: loss 9.99999 here but 11.09091 at line ${line(120_000)}`,
    `${file}:${line(170_004)}:${COL.tokens}: tokens go down as steps go up in model "m85": 4000000 at step 3 but 8000000 at step 2 (line ${line(170_002)})`,
  ]);
});
