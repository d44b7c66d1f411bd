import assert from "node:assert/strict";
import { test } from "node:test";
import { earlyCut } from "../../src/data/fitdata.js";
import type { RunTable } from "../../src/data/types.js";
import { rng } from "../../src/math/random.js";

/** The early cut written out plainly: count each run's rows by its key, keep as documented. */
function referenceCut(t: RunTable, minTokens: number): number[] {
  const key = (r: number) => JSON.stringify([t.family[r], t.model[r], t.seed[r]]);
  const count = new Map<string, number>();
  for (let r = 0; r < t.length; r++) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  const rows: number[] = [];
  for (let r = 0; r < t.length; r++)
    if (count.get(key(r)) === 1 || t.tokens[r] > minTokens) rows.push(r);
  return rows;
}

test("earlyCut keeps single-row runs whole and drops early checkpoints of the others", () => {
  const u = rng(21, 3);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + Math.floor(u() * 300);
    const pick = (a: string[]) => a[Math.floor(u() * a.length)];
    // Rows of a run sometimes together (a log), sometimes interleaved with other runs.
    const grouped = u() < 0.5;
    const family: string[] = [];
    const model: string[] = [];
    const seed: string[] = [];
    for (let r = 0; r < n; r++) {
      const same = grouped && r > 0 && u() < 0.8;
      family.push(same ? family[r - 1] : pick(["a", "b"]));
      model.push(same ? model[r - 1] : pick(["m1", "m2", "m3", `solo${r}`]));
      seed.push(same ? seed[r - 1] : pick(["0", "1"]));
    }
    const tokens = Float64Array.from({ length: n }, () => 10 ** (6 + u() * 6));
    const t = { length: n, family, model, seed, tokens } as unknown as RunTable;
    const cut = 10 ** (6 + u() * 6);
    const want = referenceCut(t, cut);
    assert.deepEqual(earlyCut(t, cut), { rows: want, dropped: n - want.length });
  }
});
