import assert from "node:assert/strict";
import { test } from "node:test";
import { defineMacros } from "../../src/data/canonical.js";
import { duckDouble, parseNumber } from "../../src/data/cell-number.js";
import { openMemoryDb } from "../../src/data/duckdb.js";
import { rng } from "../../src/math/random.js";

test("duckDouble writes doubles as DuckDB's CAST(x AS VARCHAR) does, reading them alike", async () => {
  const u = rng(7, 2);
  const values = [1, 0.1, 1e8, 1e15, 1e16, 9.5e15, 1e-4, 1e-5, 2.5e-7, 6795600349.289497, 1e300];
  for (let i = 0; i < 400; i++) values.push(10 ** (u() * 40 - 10) * (1 + u()));
  for (let i = 0; i < 100; i++) values.push(Math.round(10 ** (u() * 17)));
  const db = await openMemoryDb();
  try {
    const r = await db.conn.runAndReadAll(
      // From text, as the reader casts cells (a SQL number literal would be read as a DECIMAL).
      `SELECT CAST(CAST(x AS DOUBLE) AS VARCHAR) AS s FROM (SELECT unnest([${values.map((v) => `'${v}'`).join(",")}]) AS x)`,
    );
    const want = r.getRowObjects().map((o) => String(o.s));
    assert.deepEqual(
      values.map((v) => duckDouble(v)),
      want,
    );
  } finally {
    db.close();
  }
});

test("parseNumber reads every cell it accepts to the double DuckDB's sl_num macro reads", async () => {
  const u = rng(3, 4);
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(u() * 10)).join("");
  const cells: string[] = ["0", "1", "-2", "+3.5", ".5", "0.1", "7e10", "1.3B", "125m", "2E-3k"];
  // No digits: DuckDB reads no number, so neither may the reader.
  cells.push("-", "+", "e5", "-e5", ".", "M", "-.e1");
  for (let i = 0; i < 3000; i++) {
    const int = digits(Math.floor(u() * 12));
    const frac = u() < 0.6 ? `.${digits(1 + Math.floor(u() * 12))}` : "";
    const exp =
      u() < 0.5 ? `${u() < 0.5 ? "e" : "E"}${pick(u, ["", "+", "-"])}${Math.floor(u() * 40)}` : "";
    const sign = pick(u, ["", "", "-", "+"]);
    const suffix = u() < 0.3 ? pick(u, ["K", "m", "B", "g", "T", "p", "x", " M"]) : "";
    cells.push(`${sign}${int || (frac ? "" : "0")}${frac}${exp}${suffix}`);
  }
  const db = await openMemoryDb();
  try {
    await defineMacros(db.conn);
    const r = await db.conn.runAndReadAll(
      `SELECT sl_num(x) AS v FROM (SELECT unnest([${cells.map((c) => `'${c}'`).join(",")}]) AS x)`,
    );
    const want = r.getRowObjects().map((o) => (o.v === null ? null : Number(o.v)));
    let accepted = 0;
    cells.forEach((c, i) => {
      const got = parseNumber(Buffer.from(c, "latin1"), 0, c.length);
      if (got === undefined) return;
      accepted++;
      assert.ok(Object.is(got, want[i]), `${c}: ${got} here, ${want[i]} in DuckDB`);
    });
    assert.ok(accepted > 2000, `only ${accepted} accepted`);
  } finally {
    db.close();
  }
});

function pick<T>(u: () => number, a: readonly T[]): T {
  return a[Math.floor(u() * a.length)];
}
