import assert from "node:assert/strict";
import { test } from "node:test";
import { getLaw } from "../../src/laws/index.js";

test("getLaw finds chinchilla", () => {
  assert.equal(getLaw("chinchilla").name, "chinchilla");
});
