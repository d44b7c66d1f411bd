import assert from "node:assert/strict";
import { test } from "node:test";
import { compareScalingRules } from "../../src/plan/compare.js";
import { getPreset } from "../../src/plan/presets.js";

/**
 * Golden values for Hoffmann et al. 2022's law (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28) at
 * C = 1e21 × k, computed independently with python3 (float64) from the closed form
 * N = G·(C/6)^(β/(α+β)), G = (αA/(βB))^(1/(α+β)), D = C/(6N); Kaplan's rule from the k = 1 optimum,
 * N·k^0.73 and D·k^0.27, scored with the same law:
 *   python3 -c "E,A,B,a,b=1.69,406.4,410.7,0.34,0.28
 *   opt=lambda C:(lambda N:(N,C/(6*N),E+A*N**-a+B*(C/(6*N))**-b))(((a*A)/(b*B))**(1/(a+b))*(C/6)**(b/(a+b)))
 *   N0,D0,_=opt(1e21)
 *   [print(k,opt(1e21*k),N0*k**0.73,D0*k**0.27,E+A*(N0*k**0.73)**-a+B*(D0*k**0.27)**-b) for k in (1,10,100,1000)]"
 */
const GOLDEN = [
  // k, Chinchilla N, D, L, Kaplan N, D, L
  [
    1, 1824217696.8955524, 91363364663.27426, 2.328882940154319, 1824217696.8955524,
    91363364663.27426, 2.328882940154319,
  ],
  [
    10, 5160473684.851609, 322967767776.6498, 2.1386140845028567, 9796629067.342236,
    170126546101.72177, 2.147305111675594,
  ],
  [
    100, 14598306275.268362, 1141684956624.2083, 2.005010128092831, 52611013064.078354,
    316790453100.89844, 2.0293480249244893,
  ],
  [
    1000, 41296702419.415146, 4035834749563.6924, 1.911195419914262, 282537868546.6083,
    589891427736.7844, 1.9497803836543506,
  ],
];

test("Kaplan's vs Chinchilla's rule at ×1…×1000 match an independent computation", () => {
  const rows = compareScalingRules(getPreset("hoffmann"), 1e21);
  assert.equal(rows.length, GOLDEN.length);
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a / b - 1) < 1e-12, `${what}: ${a} vs ${b}`);
  rows.forEach((r, i) => {
    const [k, cN, cD, cL, kN, kD, kL] = GOLDEN[i];
    assert.equal(r.factor, k);
    close(r.chinchilla.params, cN, `×${k} Chinchilla N`);
    close(r.chinchilla.tokens, cD, `×${k} Chinchilla D`);
    close(r.chinchilla.loss, cL, `×${k} Chinchilla L`);
    close(r.kaplan.params, kN, `×${k} Kaplan N`);
    close(r.kaplan.tokens, kD, `×${k} Kaplan D`);
    close(r.kaplan.loss, kL, `×${k} Kaplan L`);
    close(r.kaplan.flops, 1e21 * k, `×${k} same budget for both rules`);
  });
});
