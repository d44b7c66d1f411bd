import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinLaws, powerLaw } from "../../src/laws/index.js";
import { makeColumns } from "../../src/laws/types.js";
import { TRUE_PARAMS } from "../fixtures/synthetic.js";

// Unique tokens below D on two rows, so the data-constrained law's repetition terms are exercised.
const x = makeColumns([3e7, 4e8, 7e9], [5e9, 2e11, 1.4e12], undefined, [5e9, 2e10, 1e11]);
const laws = [...builtinLaws, powerLaw("tokens"), powerLaw("flops")];

for (const law of laws.filter((l) => TRUE_PARAMS[l.name])) {
  test(`${law.name} (${law.inputs.join(",")}): jacobian matches central finite differences`, () => {
    const theta = Float64Array.from(law.params, (p) => TRUE_PARAMS[law.name][p.name]);
    const p = theta.length;
    const n = x.params.length;
    const jac = new Float64Array(n * p);
    const fused = new Float64Array(n);
    law.jacobian(theta, x, jac, fused);
    const base = new Float64Array(n);
    law.predict(theta, x, base);
    for (let i = 0; i < n; i++)
      assert.ok(Math.abs(fused[i] - base[i]) <= 1e-14 * base[i], "fused prediction");
    const up = new Float64Array(n);
    const down = new Float64Array(n);
    for (let j = 0; j < p; j++) {
      // Relative step: the parameters span 0.05 to 1e28.
      const h = 1e-6 * Math.abs(theta[j]);
      const t = Float64Array.from(theta);
      t[j] = theta[j] + h;
      law.predict(t, x, up);
      t[j] = theta[j] - h;
      law.predict(t, x, down);
      for (let i = 0; i < n; i++) {
        const fd = (up[i] - down[i]) / (2 * h);
        const scale = Math.max(Math.abs(fd), Math.abs(jac[i * p + j]), 1e-300);
        assert.ok(
          Math.abs(fd - jac[i * p + j]) <= 1e-6 * scale + 1e-12,
          `${law.params[j].name} row ${i}: analytic ${jac[i * p + j]} vs finite difference ${fd}`,
        );
      }
    }
  });
}

for (const law of laws.filter((l) => l.weightedHessian && TRUE_PARAMS[l.name])) {
  test(`${law.name} (${law.inputs.join(",")}): weightedHessian matches differences of the jacobian`, () => {
    const theta = Float64Array.from(law.params, (p) => TRUE_PARAMS[law.name][p.name]);
    const p = theta.length;
    const n = x.params.length;
    const w = Float64Array.from({ length: n }, (_, i) => [0.7, -1.3, 2.1][i]);
    const H = new Float64Array(p * p);
    law.weightedHessian?.(theta, x, w, H);
    const up = new Float64Array(n * p);
    const down = new Float64Array(n * p);
    for (let j = 0; j < p; j++) {
      const h = 1e-6 * Math.abs(theta[j]);
      const t = Float64Array.from(theta);
      t[j] = theta[j] + h;
      law.jacobian(t, x, up);
      t[j] = theta[j] - h;
      law.jacobian(t, x, down);
      for (let a = 0; a < p; a++) {
        let fd = 0;
        for (let i = 0; i < n; i++) fd += (w[i] * (up[i * p + a] - down[i * p + a])) / (2 * h);
        const scale = Math.max(Math.abs(fd), Math.abs(H[a * p + j]), 1e-300);
        assert.ok(
          Math.abs(fd - H[a * p + j]) <= 1e-6 * scale + 1e-12,
          `∂²/∂${law.params[a].name}∂${law.params[j].name}: analytic ${H[a * p + j]} vs ${fd}`,
        );
      }
    }
  });
}

test("basis reproduces predict for laws with linear parameters", () => {
  for (const law of laws.filter((l) => l.basis && TRUE_PARAMS[l.name])) {
    const theta = Float64Array.from(law.params, (p) => TRUE_PARAMS[law.name][p.name]);
    const lin = law.params.flatMap((s, j) => (s.linear ? [j] : []));
    const m = lin.length;
    const phi = new Float64Array(3 * m);
    law.basis?.(theta, x, phi);
    const pred = new Float64Array(3);
    law.predict(theta, x, pred);
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += theta[lin[k]] * phi[i * m + k];
      assert.ok(Math.abs(s - pred[i]) <= 1e-12 * pred[i], `${law.name} row ${i}`);
    }
  }
});

test("chinchilla at Hoffmann's values matches a hand computation", () => {
  // 1.69 + 406.4/70e9^0.34 + 410.7/1.4e12^0.28, evaluated with python3: 1.9366454705587173
  const law = laws.find((l) => l.name === "chinchilla")!;
  const out = new Float64Array(1);
  law.predict(
    Float64Array.from([1.69, 406.4, 410.7, 0.34, 0.28]),
    makeColumns([70e9], [1.4e12]),
    out,
  );
  const expected = 1.69 + 406.4 / 70e9 ** 0.34 + 410.7 / 1.4e12 ** 0.28;
  assert.ok(Math.abs(out[0] - expected) < 1e-12);
  assert.ok(Math.abs(out[0] - 1.9366454705587173) < 1e-12);
});
