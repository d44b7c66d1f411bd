import assert from "node:assert/strict";
import { test } from "node:test";
import { selectRows } from "../../src/data/select.js";
import type { RunTable } from "../../src/data/types.js";

function table(rows: [string, string, number][]): RunTable {
  const n = rows.length;
  return {
    origin: "test",
    length: n,
    family: rows.map((r) => r[0]),
    model: rows.map((r) => r[1]),
    params: new Float64Array(n).fill(1e8),
    tokens: Float64Array.from(rows, (r) => r[2]),
    flops: new Float64Array(n),
    metric: rows.map(() => "loss"),
    value: new Float64Array(n).fill(3),
    seed: rows.map(() => "0"),
    step: new Float64Array(n).fill(Number.NaN),
  };
}

const t = table([
  ["a", "s", 5e9],
  ["a", "s", 1e10],
  ["a", "s", 2e10],
  ["a", "s", 4e10],
  ["a", "l", 1e10],
  ["a", "l", 8e10],
  ["b", "s", 4e10],
]);

test("selectRows keeps everything by default", () => {
  assert.deepEqual(selectRows(t), [0, 1, 2, 3, 4, 5, 6]);
});

test("selectRows: family, held-out model, the early cut", () => {
  assert.deepEqual(selectRows(t, { family: "b" }), [6]);
  assert.deepEqual(selectRows(t, { exclude: "l" }), [0, 1, 2, 3, 6]);
  assert.deepEqual(selectRows(t, { minTokens: 1e10 }), [1, 2, 3, 4, 5, 6]);
});

test("selectRows: the fraction is of each run's own last checkpoint", () => {
  // Run a/s ends at 4e10 (keep ≤ 2e10), a/l at 8e10 (keep ≤ 4e10), b/s at 4e10 (keep ≤ 2e10).
  assert.deepEqual(selectRows(t, { fraction: 0.5 }), [0, 1, 2, 4]);
  assert.deepEqual(selectRows(t, { fraction: 1 }), [0, 1, 2, 3, 4, 5, 6]);
});
