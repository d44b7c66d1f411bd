import assert from "node:assert/strict";
import { test } from "node:test";
import { seededGaussian } from "../../src/math/random.js";

test("seededGaussian is reproducible and draws standard normals", () => {
  const a = seededGaussian(42);
  const b = seededGaussian(42);
  const xs = Array.from({ length: 100_000 }, () => a.normal());
  assert.deepEqual(
    xs.slice(0, 5),
    Array.from({ length: 5 }, () => b.normal()),
  );
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  // Standard errors: 1/√n = 0.0032 for the mean, √(2/n) = 0.0045 for the variance.
  assert.ok(Math.abs(mean) < 0.015, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
  // Uniforms in [0, 1), different seeds differ.
  const u = seededGaussian(1);
  for (let i = 0; i < 1000; i++) {
    const x = u.uniform();
    assert.ok(x >= 0 && x < 1);
  }
  assert.notEqual(seededGaussian(1).normal(), seededGaussian(2).normal());
});
