import assert from "node:assert/strict";
import { test } from "node:test";
import { scanJson } from "../../src/data/json-scan.js";
import { loadRuns } from "../../src/data/load.js";
import { refuses, writeTemp } from "./files.js";

test("deep nesting is refused before parsing, with its line and column (the sweep's 24 GB and segfault cases)", async () => {
  // '['*20000 + ']'*20000 grew to 24 GB; a 20,000-deep JSONL object and depth 100,000 segfaulted.
  await refuses(
    loadRuns(writeTemp("deep.json", `${"[".repeat(20_000)}${"]".repeat(20_000)}`)),
    /deep\.json:1:17: JSON nested deeper than 16 levels; hint: a run is one flat object/,
  );
  await refuses(
    loadRuns(
      writeTemp(
        "deep.jsonl",
        `{"params": 1e8, "tokens": 1e9, "loss": 3}\n${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}\n`,
      ),
    ),
    /deep\.jsonl:2:81: JSON nested deeper than 16 levels/,
  );
  await refuses(
    loadRuns(writeTemp("deeper.json", `[${"[".repeat(100_000)}${"]".repeat(100_000)}]`)),
    /deeper\.json:1:17: JSON nested deeper/,
  );
  // Nesting a record may have (an object inside a record) is fine.
  const ok = await loadRuns(
    writeTemp("ok.json", '[{"params": 1e8, "tokens": 1e9, "loss": 3.1, "cfg": {"lr": [1, 2]}}]'),
  );
  assert.equal(ok.length, 1);
});

test("an unterminated JSONL string is reported on its own line, where it starts", async () => {
  const text = [
    '{"params": 1e8, "tokens": 1e9, "loss": 3.1}',
    '{"params": 2e8, "tokens": "1e9, "loss": 3.0}',
    '{"params": 3e8, "tokens": 1e9, "loss": 2.9}',
  ].join("\n");
  // Before: "u.jsonl:3: malformed JSON" (one line late).
  await refuses(
    loadRuns(writeTemp("u.jsonl", text)),
    /u\.jsonl:2:38: unterminated string \(the line ends inside it\)/,
  );
  await refuses(
    loadRuns(writeTemp("v.json", '[{"params": "1e8}]')),
    /v\.json:1:13: unterminated string \(the file ends inside it\)/,
  );
});

test("trailing commas are refused at the comma, in arrays and objects", async () => {
  await refuses(
    loadRuns(
      writeTemp(
        "t.json",
        '[\n  {"params": 1e8, "tokens": 1e9, "loss": 3.1},\n  {"params": 2e8, "tokens": 1e9, "loss": 3.0},\n]\n',
      ),
    ),
    /t\.json:3:46: trailing comma before "\]"/,
  );
  await refuses(
    loadRuns(writeTemp("t.jsonl", '{"params": 1e8, "tokens": 1e9, "loss": 3.1,}\n')),
    /t\.jsonl:1:43: trailing comma before "\}"/,
  );
  // Commas and brackets inside strings are text.
  const ok = await loadRuns(
    writeTemp("s.jsonl", '{"model": "a,]}\\"[{", "params": 1e8, "tokens": 1e9, "loss": 3.1}\n'),
  );
  assert.deepEqual(ok.model, ['a,]}"[{']);
});

test("problems in a JSON array are reported at the record's line, not its number", async () => {
  const text =
    '[\n  {"params": 1e8,\n   "tokens": 1e9, "loss": 3.1},\n\n  {"params": 2e8,\n   "tokens": 1e9, "loss": "x"}\n]\n';
  // Before: "arr.json:2:loss" (record 2).
  await refuses(
    loadRuns(writeTemp("arr.json", text)),
    /arr\.json:5:loss: loss is not a finite number \("x"\)/,
  );
});

test("the scan is the same whatever the chunk size (state carried across chunk boundaries)", () => {
  const text = `[${Array.from({ length: 40 }, (_, i) => `\n {"model": "m\\"${i},]", "params": ${i + 1}e8, "nested": {"a": [1, {"b": 2}]}}`).join(",")}\n]`;
  const f = writeTemp("c.json", text);
  const whole = scanJson(f, { recordLines: true });
  assert.deepEqual(
    whole,
    Array.from({ length: 40 }, (_, i) => i + 2),
  );
  for (const chunkBytes of [1, 2, 3, 7, 64])
    assert.deepEqual(scanJson(f, { recordLines: true, chunkBytes }), whole);
  const deep = writeTemp("d.json", `[${"[".repeat(30)}${"]".repeat(30)}]`);
  for (const chunkBytes of [1, 5, 1 << 20])
    assert.throws(
      () => scanJson(deep, { chunkBytes }),
      /d\.json:1:17: JSON nested deeper than 16 levels/,
    );
});
