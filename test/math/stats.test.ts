import assert from "node:assert/strict";
import { test } from "node:test";
import { extent, group, mean } from "../../src/math/stats.js";

test("mean sums in order and is NaN for no values", () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.equal(mean(Float64Array.from([0.1, 0.2, 0.3])), (0.1 + 0.2 + 0.3) / 3);
  assert.ok(Number.isNaN(mean([])));
});

test("group keeps first-seen order of groups and items", () => {
  const g = group(["b1", "a1", "b2", "c1", "a2"], (s) => s[0]);
  assert.deepEqual([...g.keys()], ["b", "a", "c"]);
  assert.deepEqual(g.get("a"), ["a1", "a2"]);
});

test("extent matches Math.min/Math.max, NaN and empty included, at any length", () => {
  assert.deepEqual(extent([3, -1, 2.5]), [Math.min(3, -1, 2.5), Math.max(3, -1, 2.5)]);
  assert.deepEqual(extent([1, Number.NaN, 2]), [Number.NaN, Number.NaN]);
  assert.deepEqual(extent([]), [Math.min(), Math.max()]);
  // A 2M-row column: spreading it into Math.min throws RangeError (call stack).
  const big = new Float64Array(2_000_000).map((_, i) => Math.sin(i) * i);
  assert.throws(() => Math.min(...Array.from(big)), RangeError);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of big) {
    lo = Math.min(x, lo);
    hi = Math.max(x, hi);
  }
  assert.deepEqual(extent(big), [lo, hi]);
});
