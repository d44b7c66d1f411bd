import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { PLOT_KINDS, plotSpec } from "../../../src/report/plots/index.js";
import { compileSpec } from "../../../src/report/render.js";
import { fixedFit, hoffmannFit, plotFixtures } from "../../fixtures/plots.js";
import { repoRoot } from "../../fixtures/shared.js";
import { syntheticLadder, TRUE_PARAMS } from "../../fixtures/synthetic.js";

// Snapshots of every figure's Vega-Lite spec from small fixtures (numbers rounded to 6 significant
// digits by the figures). A change shows up as a diff of the committed JSON; after checking it,
// regenerate with `UPDATE_SNAPSHOTS=1 npm run build && UPDATE_SNAPSHOTS=1 node --test build/test/report/plots/specs.test.js`.
const dir = resolve(repoRoot, "test/report/plots/__snapshots__");
const inputs = plotFixtures();

for (const kind of PLOT_KINDS) {
  test(`${kind}: spec matches its snapshot`, () => {
    const json = `${JSON.stringify(plotSpec(kind, inputs[kind] as never), null, 2)}\n`;
    const path = resolve(dir, `${kind}.vl.json`);
    if (process.env.UPDATE_SNAPSHOTS) writeFileSync(path, json);
    assert.ok(existsSync(path), `no snapshot ${path}: run with UPDATE_SNAPSHOTS=1 once`);
    assert.equal(json, readFileSync(path, "utf8"), `${kind} spec changed; see ${path}`);
  });

  test(`${kind}: compiles without vega-lite warnings`, () => {
    const { warnings } = compileSpec(plotSpec(kind, inputs[kind] as never));
    assert.deepEqual(warnings, []);
  });
}

test("plotSpec rejects an unknown kind", () => {
  assert.throws(() => plotSpec("pie" as never, {} as never), /unknown figure "pie"/);
});

test("figures of a 200,000-row log build (no column spread into Math.min/Math.max)", () => {
  // Spreading 200k values into Math.min overflowed the call stack: `report` on such a file died.
  const data = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, {
    sizes: 10,
    checkpoints: 20_000,
  });
  const f = hoffmannFit();
  const target = { params: 7e10, tokens: 1.4e12 };
  assert.ok(plotSpec("fit", { data, fit: f, target }));
  assert.ok(
    plotSpec("residuals", {
      data,
      fit: fixedFit("chinchilla", { ...TRUE_PARAMS.chinchilla, E: 1.7 }),
    }),
  );
  assert.ok(plotSpec("contours", { ...(inputs.contours as object), runs: data } as never));
});
