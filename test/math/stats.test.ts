import assert from "node:assert/strict";
import { test } from "node:test";
import { group, mean } from "../../src/math/stats.js";

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
