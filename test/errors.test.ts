import assert from "node:assert/strict";
import { test } from "node:test";
import { closest, count } from "../src/errors.js";

test("count says one in the singular and any other number in the plural", () => {
  assert.equal(count(1, "run"), "1 run");
  assert.equal(count(0, "run"), "0 runs");
  assert.equal(count(12, "row"), "12 rows");
  assert.equal(count(2, "family", "families"), "2 families");
});

test("closest finds a near name and nothing when none is near", () => {
  assert.equal(closest("parms", ["params", "tokens", "loss"]), "params");
  assert.equal(closest("zzzzzz", ["params", "tokens"]), undefined);
});
