import assert from "node:assert/strict";
import { test } from "node:test";
import { fit, predict } from "../src/index.js";
import { syntheticLadder, TRUE_PARAMS } from "./fixtures/synthetic.js";

test("the package entry exposes fit and predict", async () => {
  const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla);
  const r = fit(data);
  assert.equal(r.status, "converged");
  const p = await predict(data, { params: 70e9, tokens: 1.4e12 });
  // Noiseless data: the forecast is the law itself, 1.9366454705587173 (python3, Hoffmann values).
  assert.ok(Math.abs(p.value - 1.9366454705587173) < 1e-6);
  assert.equal(p.interval, null);
  assert.equal(p.at.flops, 6 * 70e9 * 1.4e12);
});

test("the public export list is what it was (values at run time, types from the source)", async () => {
  const { readFileSync } = await import("node:fs");
  const { resolve } = await import("node:path");
  const { repoRoot } = await import("./fixtures/shared.js");
  const { matchSnapshot } = await import("./fixtures/snapshot.js");
  const values = Object.keys(await import("../src/index.js")).sort();
  const source = readFileSync(resolve(repoRoot, "src/index.ts"), "utf8");
  const types = [...source.matchAll(/export type \{([^}]*)\}/g)]
    .flatMap((m) => m[1].split(","))
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
  matchSnapshot("exports.txt", `values:\n${values.join("\n")}\n\ntypes:\n${types.join("\n")}\n`);
});
