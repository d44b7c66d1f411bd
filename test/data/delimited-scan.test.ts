import assert from "node:assert/strict";
import { test } from "node:test";
import { scanDelimited } from "../../src/data/delimited-scan.js";
import { loadRuns } from "../../src/data/load.js";
import { refuses, writeTemp } from "./files.js";

test("a CSV mixing LF and CRLF line endings is refused at the first line that differs", async () => {
  // Before: "mixed.csv: cannot read as CSV: This can happen when …" without a line.
  const f = writeTemp("mixed.csv", "params,tokens,loss\n1e8,1e9,3.1\n2e8,1e9,3.0\r\n3e8,1e9,2.9\n");
  await refuses(
    loadRuns(f),
    /mixed\.csv:3: this line ends with CRLF but the lines before end with LF; hint: save the file with one kind of line ending/,
  );
  // One kind throughout is fine, CRLF too.
  assert.equal(
    (await loadRuns(writeTemp("crlf.csv", "params,tokens,loss\r\n1e8,1e9,3.1\r\n2e8,1e9,3.0\r\n")))
      .length,
    2,
  );
});

test("a header longer than 1 MiB is read whole", async () => {
  // Before: the header was cut at 1 MiB, so the columns after a long name were lost ("line 2: Expected Number of Columns: 1 Found: 2").
  const long = "x".repeat(1_200_000);
  const f = writeTemp("long.csv", `${long},params,tokens,loss\na,1e8,1e9,3.1\nb,2e8,1e9,3.0\n`);
  const t = await loadRuns(f);
  assert.deepEqual(Array.from(t.params), [1e8, 2e8]);
});

test("a header of more columns than DuckDB can hold in memory is refused, not read (200,000 columns took 19 GB)", async () => {
  const n = 200_000;
  const f = writeTemp(
    "wide.csv",
    `${Array.from({ length: n }, (_, i) => `c${i}`).join(",")},params,tokens,loss\n${"0,".repeat(n)}1e8,1e9,3.1\n`,
  );
  await refuses(loadRuns(f), /wide\.csv:1: 200003 columns; at most 2048 are read/);
});

test("ragged rows and unterminated quotes are found by streaming, at any chunk size, with their lines", () => {
  const ragged = writeTemp("r.csv", 'model,params,loss\n"a\nb",1,2\n\n"c""d",3,4\ne,5\n');
  const unterminated = writeTemp("q.csv", 'model,params,loss\na,1,2\n"b,3,4\n');
  for (const chunkBytes of [1, 2, 3, 5, 1 << 20]) {
    assert.deepEqual(
      scanDelimited(ragged, ",", { recordLines: true, chunkBytes }).recordLines,
      [1, 2, 5, 6],
    );
    assert.throws(
      () => scanDelimited(ragged, ",", { check: true, chunkBytes }),
      /r\.csv:6: expected 3 cells as in the header, found 2/,
    );
    assert.throws(
      () => scanDelimited(unterminated, ",", { check: true, chunkBytes }),
      /q\.csv:3: unterminated quoted cell/,
    );
    const crlf = writeTemp("c.csv", '\uFEFF"a",b\r\n1,2\r\n\r\n3,4\r\n');
    assert.deepEqual(
      scanDelimited(crlf, ",", { check: true, recordLines: true, chunkBytes }).recordLines,
      [1, 2, 4],
    );
  }
});

test("a bad cell in a CSV is located by streaming, never by reading the file into one string", async () => {
  // The sweep's 600 MB CSV failed with "Cannot create a string longer than 0x1fffffe8 characters"
  // because the error path read the whole file as text. Every error path now streams in chunks
  // (the chunk-size test above); here the path end to end, on a file of several chunks.
  const rows = ["model,params,tokens,loss"];
  for (let i = 0; i < 60_000; i++) rows.push(`m${i},${1e7 + i},1e9,3.${i % 10}`);
  rows.push("bad,1e8,1e9,3.1,extra");
  const f = writeTemp("big.csv", `${rows.join("\n")}\n`);
  await refuses(loadRuns(f), /big\.csv:60002: expected 4 cells as in the header, found 5/);
});
