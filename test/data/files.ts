import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openMemoryDb, sqlString } from "../../src/data/duckdb.js";
import { InputError } from "../../src/errors.js";
import { tempDir as freshDir } from "../fixtures/temp.js";

/** A fresh temporary folder for one test. */
export function tempDir(): string {
  return freshDir("scaleladder-data-");
}

/** Writes `text` to `name` in a fresh temporary folder and returns the path. */
export function writeTemp(name: string, text: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

/** Writes the rows of a SQL query to a Parquet file with DuckDB (for files other tools made). */
export async function parquetOf(
  sql: string,
  name: string,
  compression: "zstd" | "snappy" = "zstd",
): Promise<string> {
  const path = join(tempDir(), name);
  const db = await openMemoryDb();
  try {
    await db.conn.run(
      `COPY (${sql}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION ${compression})`,
    );
  } finally {
    db.close();
  }
  return path;
}

/** A small valid ladder: three sizes, four checkpoints each, in the canonical CSV layout. */
export const LADDER_CSV = `family,model,params,tokens,loss,step,seed
toy,s,125M,1e9,3.9,1000,0
toy,s,125M,2e9,3.6,2000,0
toy,s,125M,3e9,3.5,3000,0
toy,s,125M,4e9,3.45,4000,0
toy,m,350M,1e9,3.6,1000,0
toy,m,350M,2e9,3.3,2000,0
toy,m,350M,3e9,3.2,3000,0
toy,m,350M,4e9,3.15,4000,0
toy,l,1.3B,1e9,3.4,1000,0
toy,l,1.3B,2e9,3.1,2000,0
toy,l,1.3B,3e9,3.0,3000,0
toy,l,1.3B,4e9,2.95,4000,0
`;

/** Asserts `p` rejects with one InputError line matching `re`. */
export async function refuses(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, re);
    assert.equal(e.message.includes("\n"), false, e.message);
    return true;
  });
}
