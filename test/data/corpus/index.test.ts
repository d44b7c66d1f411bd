import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinCorpus, corpusAdapter, loadCorpus } from "../../../src/data/corpus/index.js";
import { UPSTREAMS } from "../../../src/data/corpus/upstream.js";
import { InputError } from "../../../src/errors.js";
import { sharedDataDir, sharedSkip } from "../../fixtures/shared.js";
import { tempDir } from "../../fixtures/temp.js";

test("every shared dataset has an adapter and an upstream, and every adapter documents its mapping", () => {
  const names = builtinCorpus.map((a) => a.name).sort();
  assert.deepEqual(names, [
    "epoch-chinchilla",
    "gadre-overtrain",
    "hitchhiker-colpret",
    "misfitting-li2025",
    "pythia-evals",
    "sldbench-github",
  ]);
  assert.deepEqual(UPSTREAMS.map((u) => u.name).sort(), names);
  for (const a of builtinCorpus) assert.ok(a.notes.length > 0 && a.title.length > 0, a.name);
});

test("an unknown dataset name is an InputError with the closest name", () => {
  assert.throws(
    () => corpusAdapter("pythia-eval"),
    (e: unknown) => e instanceof InputError && /did you mean "pythia-evals"/.test(e.message),
  );
});

test("loadCorpus reads the named datasets into one table with a source column", {
  skip: sharedSkip("epoch-chinchilla") || sharedSkip("sldbench-github"),
}, async () => {
  const { table, datasets } = await loadCorpus(sharedDataDir, [
    "epoch-chinchilla",
    "sldbench-github",
  ]);
  assert.equal(datasets[0].table?.length, 245);
  assert.deepEqual(
    datasets.map(({ name, rows, families }) => ({ name, rows, families })),
    [
      { name: "epoch-chinchilla", rows: 245, families: ["epoch-chinchilla"] },
      {
        name: "sldbench-github",
        rows: 5204,
        families: ["sldbench-data-constrained", "sldbench-stepfun-lr", "sldbench-vocab"],
      },
    ],
  );
  assert.equal(table.length, 245 + 5204);
  assert.equal(table.source?.[0], "epoch-chinchilla");
  assert.equal(table.source?.[table.length - 1], "sldbench-github");
  // uniqueTokens survives concatenation, NaN for the Epoch rows.
  assert.ok(Number.isNaN(table.uniqueTokens?.[0]));
  assert.ok(table.uniqueTokens?.some((u) => u > 0));
});

test("loadCorpus on a folder without datasets says how to get them", async () => {
  const empty = tempDir("scaleladder-corpus-");
  await assert.rejects(
    loadCorpus(empty),
    (e: unknown) =>
      e instanceof InputError && /no corpus dataset found.*corpus download/.test(e.message),
  );
  await assert.rejects(
    loadCorpus(empty, ["epoch-chinchilla"]),
    (e: unknown) => e instanceof InputError && /no such dataset folder/.test(e.message),
  );
});
