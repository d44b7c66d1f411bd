import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { epochAdapter } from "../../../src/data/corpus/epoch.js";
import { gadreAdapter } from "../../../src/data/corpus/gadre.js";
import { misfittingAdapter } from "../../../src/data/corpus/misfitting.js";
import { InputError } from "../../../src/errors.js";
import { tempDir } from "../../fixtures/temp.js";

/** A fresh dataset folder holding the given files. */
function dataset(files: Record<string, string>): string {
  const dir = tempDir("scaleladder-adapter-");
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const oneLine = (re: RegExp) => (e: unknown) =>
  e instanceof InputError && !e.message.includes("\n") && re.test(e.message);

test("a missing file names the path and suggests download", async () => {
  await assert.rejects(
    epochAdapter.load(dataset({})),
    oneLine(/svg_extracted_data\.csv: no such file; hint: .*corpus download/),
  );
});

test("a renamed column is reported with what was found and the closest name", async () => {
  const dir = dataset({ "svg_extracted_data.csv": "Model size,Training FLOP,loss\n1e8,1e18,3\n" });
  await assert.rejects(
    epochAdapter.load(dir),
    oneLine(
      /:1: missing column "Model Size" \(found: Model size, Training FLOP, loss\); hint: did you mean "Model size"/,
    ),
  );
});

test("a non-numeric cell names file, line and column", async () => {
  const dir = dataset({
    "svg_extracted_data.csv": "Model Size,Training FLOP,loss\n1e8,1e18,3\n1e8,oops,3\n",
  });
  await assert.rejects(
    epochAdapter.load(dir),
    oneLine(/svg_extracted_data\.csv:3:2: Training FLOP is not a finite number \("oops"\)/),
  );
});

test("a model JSON without the expected fields names the field", async () => {
  const dir = dataset({
    "exp_data/models/x.json": JSON.stringify({
      name: "x",
      dataset_name: "rpj",
      hyperparameters: { params: 1e8 },
      results: [],
    }),
  });
  await assert.rejects(
    gadreAdapter.load(dir),
    oneLine(/x\.json: hyperparameters\.tokens is missing/),
  );
  const broken = dataset({ "exp_data/models/y.json": "{ truncated" });
  await assert.rejects(gadreAdapter.load(broken), oneLine(/y\.json: not valid JSON/));
});

test("misfitting runs are split where steps restart, and repeated keys get -r2", async () => {
  const head = "loss,N,D,C,model,total_steps,current_steps,peak_lr,sweep";
  const row = (loss: number, step: number) =>
    `${loss},1e8,${step * 1000},1e18,misfitting_12m,4,${step},0.002,s1`;
  const dir = dataset({
    "scaling_results.csv": [head, row(5, 1), row(4, 2), row(4.5, 1), row(3.5, 2)].join("\n"),
  });
  const t = await misfittingAdapter.load(dir);
  assert.deepEqual(t.model, [
    "misfitting_12m-T4-lr0.002",
    "misfitting_12m-T4-lr0.002",
    "misfitting_12m-T4-lr0.002-r2",
    "misfitting_12m-T4-lr0.002-r2",
  ]);
});
