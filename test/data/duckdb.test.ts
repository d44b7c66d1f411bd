import assert from "node:assert/strict";
import { test } from "node:test";
import { isMachineFailure, openMemoryDb } from "../../src/data/duckdb.js";
import { whereFailed } from "../../src/data/stage.js";
import { InputError } from "../../src/errors.js";

/** The error DuckDB throws for `sql`, run with `setup` first. */
async function failure(sql: string, setup = ""): Promise<unknown> {
  const db = await openMemoryDb();
  try {
    if (setup) await db.conn.run(setup);
    await db.conn.run(sql);
  } catch (e) {
    return e;
  } finally {
    db.close();
  }
  assert.fail(`no error from ${sql}`);
}

test("running out of memory is the machine's failure, a cell quoting such words is not", async () => {
  const oom = await failure(
    "CREATE TABLE t AS SELECT i, i::VARCHAR || 'xxxxxxxxxxxxxxxx' AS s FROM range(5000000) r(i) ORDER BY s",
    "SET memory_limit = '20MB'; SET temp_directory = ''",
  );
  assert.ok(isMachineFailure(oom), String(oom));
  for (const text of ["disk", "Out of Memory Error: no", "No space left"]) {
    const bad = await failure(`SELECT CAST('${text}' AS DOUBLE)`);
    assert.equal(isMachineFailure(bad), false, String(bad));
  }
});

test("a failing `where` is the filter's fault, unless the machine failed", async () => {
  const oom = await failure(
    "SELECT count(*) FROM (SELECT i::VARCHAR || 'xxxxxxxxxxxxxxxx' AS s FROM range(5000000) r(i) ORDER BY s)",
    "SET memory_limit = '20MB'; SET temp_directory = ''",
  );
  assert.equal(whereFailed(oom, "lr > 0.002"), oom);
  const bad = await failure("SELECT CAST('disk' AS DOUBLE)");
  const said = whereFailed(bad, "arch > 1");
  assert.ok(said instanceof InputError);
  assert.match(
    said.reason,
    /^cannot use `where` "arch > 1": Could not convert string 'disk' to DOUBLE/,
  );
});

test("the staging database hands freed memory back as it goes, keeps row order and loads nothing", async () => {
  const db = await openMemoryDb();
  try {
    const got = (
      await db.conn.runAndReadAll(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('allocator_background_threads', 'preserve_insertion_order', 'autoinstall_known_extensions', 'autoload_known_extensions') ORDER BY name",
      )
    ).getRows();
    assert.deepEqual(got, [
      ["allocator_background_threads", "true"],
      ["autoinstall_known_extensions", "false"],
      ["autoload_known_extensions", "false"],
      ["preserve_insertion_order", "true"],
    ]);
  } finally {
    db.close();
  }
});
