import assert from "node:assert/strict";
import { test } from "node:test";
import { defineMacros } from "../../src/data/canonical.js";
import { openMemoryDb } from "../../src/data/duckdb.js";
import { rng } from "../../src/math/random.js";

test("sl_num reads every cell as the nested macros read it, each part computed once", async () => {
  // The definition before the lambdas, written out from the macros it is made of.
  const nested =
    "CASE WHEN isfinite(TRY_CAST(x AS DOUBLE)) THEN TRY_CAST(x AS DOUBLE) ELSE sl_finite(sl_any(sl_clean(x))) END";
  const u = rng(11, 1);
  const cells = [
    "20M",
    "1.5B",
    "+2K",
    ".5T",
    "5.M",
    "1_000M",
    "1e3 M",
    " 7k ",
    "1e999M",
    "1e999",
    "infM",
    "inf",
    "-inf",
    "nan",
    "nanM",
    "1,5M",
    "5MM",
    "0x10M",
    "abc",
    "",
    "  ",
    '"12M"',
    "12 m",
    "2P",
    "1e-3g",
    "-.5m",
    "+.5e2T",
    `${"9".repeat(400)}M`,
    "3.9",
    "-0",
    "1e308k",
  ];
  const part = (a: readonly string[]) => a[Math.floor(u() * a.length)];
  for (let i = 0; i < 2000; i++)
    cells.push(
      `${part(["", " ", "_", '"'])}${part(["", "-", "+"])}${Math.floor(u() * 1e4)}${part(["", ".", ".5", "e3", "e-2", "e400"])}${part(["", "", "k", "M", " b", "G", "t", "P", "x", "_"])}${part(["", " ", '"'])}`,
    );
  const db = await openMemoryDb();
  try {
    await defineMacros(db.conn);
    const r = await db.conn.runAndReadAll(
      `SELECT x, sl_num(x) AS a, ${nested} AS b FROM (SELECT unnest([${cells.map((c) => `'${c.replaceAll("'", "''")}'`).join(",")}]) AS x)`,
    );
    const rows = r.getRowObjects();
    assert.equal(rows.length, cells.length);
    for (const o of rows) assert.ok(Object.is(o.a, o.b), `${o.x}: ${o.a} now, ${o.b} nested`);
    assert.ok(rows.filter((o) => o.a !== null).length > 1000);
  } finally {
    db.close();
  }
});
