import assert from "node:assert/strict";
import { test } from "node:test";
import { scanDelimited } from "../../src/data/delimited-scan.js";
import { lineMapper } from "../../src/data/lines.js";
import { writeTemp } from "./files.js";

/** Lines of records 0..n-1 as the full streaming scan finds them (the reference: the reader's rules). */
function scanned(path: string, delim: string, n: number): number[] {
  const lines = scanDelimited(path, delim, { recordLines: true }).recordLines.slice(1);
  return Array.from({ length: n }, (_, r) => lines[r] ?? r + 2);
}

test("lines of records: written out for plain, blank-line, quoted and CRLF files", () => {
  const cases: [string, string, number[]][] = [
    ["plain", "a,b\n1,2\n3,4\n5,6\n", [2, 3, 4]],
    ["no final newline", "a,b\n1,2\n3,4", [2, 3]],
    ["BOM", "\ufeffa,b\n1,2\n3,4\n", [2, 3]],
    ["blank line", "a,b\n1,2\n\n3,4\n", [2, 4]],
    ["spaces-only line", "a,b\n1,2\n  \t \n3,4\n", [2, 4]],
    ["tab-only line", "a,b\n1,2\n\t\n3,4\n", [2, 4]],
    ["leading blank lines", "\n \na,b\n1,2\n", [4]],
    ["a line starting with a space is still a record", "a,b\n 1,2\n3,4\n", [2, 3]],
    ["quoted newline", 'a,b\n"x\ny",2\n3,4\n', [2, 4]],
    ["CRLF", "a,b\r\n1,2\r\n\r\n3,4\r\n", [2, 4]],
  ];
  for (const [name, text, want] of cases) {
    const path = writeTemp("t.csv", text);
    for (const chunk of [1, 2, 3, 5, 1 << 20]) {
      const line = lineMapper(path, "csv", chunk);
      assert.deepEqual(
        want.map((_, r) => line(r)),
        want,
        `${name}, chunks of ${chunk}`,
      );
    }
  }
});

test("lines of records: the same as the full scan on random files, across chunk boundaries", () => {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pieces = ["1", "ab", " ", "\t", '"q"', '"x\ny"', "", "3.5"];
  for (let k = 0; k < 300; k++) {
    const delim = rand() < 0.3 ? "\t" : ",";
    const nl = rand() < 0.1 ? "\r\n" : "\n";
    const rows: string[] = [`a${delim}b`];
    const n = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < n; i++) {
      const u = rand();
      if (u < 0.08) rows.push("");
      else if (u < 0.12) rows.push(rand() < 0.5 ? " \t" : "\t ");
      else {
        const cell = () => pieces[Math.floor(rand() * pieces.length)];
        rows.push(`${rand() < 0.9 ? cell().replace(/^[ \t]*$/, "z") : cell()}${delim}${cell()}`);
      }
    }
    const lead = rand() < 0.1 ? nl : "";
    const path = writeTemp(delim === "\t" ? "r.tsv" : "r.csv", lead + rows.join(nl) + nl);
    const want = scanned(path, delim, n + 2);
    for (const chunk of [1, 2, 7, 1 << 20]) {
      const line = lineMapper(path, delim === "\t" ? "tsv" : "csv", chunk);
      assert.deepEqual(
        want.map((_, r) => line(r)),
        want,
        `file ${k}, chunks of ${chunk}: ${JSON.stringify(lead + rows.join(nl))}`,
      );
    }
  }
});
