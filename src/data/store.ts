import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { InputError, throwProblems } from "../errors.js";
import { replaceAtomically } from "./atomic.js";
import type { Locator } from "./checks.js";
import { checkpointsInOrder, rowProblems } from "./checks.js";
import { checkWhere, type Db, duckReason, openMemoryDb, rows, sqlString } from "./duckdb.js";
import { fileStem } from "./manifest.js";
import { withRunFiles } from "./open-runs.js";
import { type LoadOptions, MAX_PROBLEMS, stageFiles, WHERE_COLUMNS, whereFailed } from "./stage.js";
import { type FamilyRuns, summarizeRuns } from "./summary.js";
import { fetchTable, stageTable } from "./table.js";
import type { RunTable } from "./types.js";

/** What an import did: rows added, and rows already in the store (or repeated in the input). */
export interface ImportResult {
  readonly inserted: number;
  readonly skipped: number;
  /** Stored rows without unique tokens (e.g. imported before the column existed) that got them. */
  readonly filled: number;
}

/**
 * A project store: a DuckDB file of canonical runs (`scaleladder.duckdb`). Imports are validated
 * first and then written in one transaction, so a failing import leaves the file as it was, and
 * re-importing the same rows adds nothing.
 */
export interface Store {
  readonly path: string;
  /** Appends a run table; `family` replaces every row's family. */
  importTable(table: RunTable, opts?: { family?: string }): Promise<ImportResult>;
  /**
   * Reads, checks and appends a file. Rows get `opts.setFamily` if given, else their family
   * column, else the file's name.
   * @throws InputError for any problem in the file; the store is not touched
   */
  importFile(
    file: string | readonly string[],
    opts?: LoadOptions,
  ): Promise<ImportResult & { rows: number; warnings: string[] }>;
  /** Rows satisfying `where` (SQL over the canonical columns; `loss` names `value`), one metric if given. */
  query(where?: string, opts?: { metric?: string }): Promise<RunTable>;
  /** Families and models with sizes, token ranges, checkpoint and seed counts. */
  summary(where?: string): Promise<FamilyRuns[]>;
  close(): Promise<void>;
}

/** `unique_tokens` comes last because stores made before it existed get it by `ALTER TABLE`. */
const SCHEMA = `CREATE TABLE IF NOT EXISTS store.runs (
  family VARCHAR NOT NULL, model VARCHAR NOT NULL, params DOUBLE NOT NULL, tokens DOUBLE NOT NULL,
  flops DOUBLE NOT NULL, metric VARCHAR NOT NULL, value DOUBLE NOT NULL, seed VARCHAR NOT NULL, step DOUBLE,
  arch VARCHAR, dataset VARCHAR, source VARCHAR, origin VARCHAR, imported_at TIMESTAMP, unique_tokens DOUBLE)`;

/** Stored columns filled from a staged canonical table, in the order `INSERT` names them. */
const STORED =
  "family, model, params, tokens, flops, metric, value, seed, step, arch, dataset, source, unique_tokens";

/** One checkpoint of one run: same family, model, seed, metric and step (tokens when no step). */
const SAME_ROW = (a: string, b: string) =>
  `${a}.family = ${b}.family AND ${a}.model = ${b}.model AND ${a}.seed = ${b}.seed AND ${a}.metric = ${b}.metric
   AND ${a}.step IS NOT DISTINCT FROM ${b}.step AND (${a}.step IS NOT NULL OR ${a}.tokens = ${b}.tokens)`;

/**
 * Opens (lazily creating, on first import) the store at `path`.
 * @throws InputError when `path` exists but is not a DuckDB database
 * @example const s = await openStore("scaleladder.duckdb"); await s.importTable(table); await s.close()
 */
export async function openStore(path: string): Promise<Store> {
  if (existsSync(path) && !isDuckDbFile(path)) {
    throw new InputError("not a scaleladder store (not a DuckDB database)", {
      file: path,
      hint: "give --db a .duckdb file made by scaleladder import, or a new path",
    });
  }
  return new DuckStore(path, await openMemoryDb());
}

/** DuckDB files carry "DUCK" at byte 8. */
function isDuckDbFile(path: string): boolean {
  if (statSync(path).isDirectory()) return false;
  const b = Buffer.alloc(12);
  const fd = openSync(path, "r");
  try {
    readSync(fd, b, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  return b.toString("latin1", 8, 12) === "DUCK";
}

class DuckStore implements Store {
  private attached = false;
  private wrote = false;

  constructor(
    readonly path: string,
    private readonly db: Db,
  ) {}

  private get conn() {
    return this.db.conn;
  }

  /** Attaches the database file; only an import may create it. */
  private async attach(create: boolean): Promise<void> {
    if (this.attached) return;
    if (!create && !existsSync(this.path)) {
      throw new InputError("no store here yet", {
        file: this.path,
        hint: `create it with scaleladder import FILE --db ${this.path}`,
      });
    }
    if (create) mkdirSync(dirname(this.path), { recursive: true });
    try {
      await this.conn.run(`ATTACH ${sqlString(this.path)} AS store`);
    } catch (e) {
      const reason = duckReason(e);
      throw new InputError(`cannot open store: ${reason}`, {
        file: this.path,
        hint: /lock/i.test(reason)
          ? "another scaleladder process is using it; wait for it to finish"
          : "check the path and permissions",
      });
    }
    this.attached = true;
    if (create) await this.conn.run(SCHEMA);
    const runs = await rows(
      this.conn,
      "SELECT 1 FROM duckdb_tables() WHERE database_name = 'store' AND table_name = 'runs'",
    );
    if (runs.length === 0) {
      throw new InputError("a DuckDB database without scaleladder runs", {
        file: this.path,
        hint: "give --db a store made by scaleladder import",
      });
    }
    await this.addMissingColumns();
  }

  /** Stores written before `unique_tokens` existed gain the column (NULL in their rows). */
  private async addMissingColumns(): Promise<void> {
    const has = await rows(
      this.conn,
      "SELECT 1 FROM duckdb_columns() WHERE database_name = 'store' AND table_name = 'runs' AND column_name = 'unique_tokens'",
    );
    if (has.length > 0) return;
    await this.conn.run("ALTER TABLE store.runs ADD COLUMN unique_tokens DOUBLE");
    this.wrote = true;
  }

  async importTable(table: RunTable, opts: { family?: string } = {}): Promise<ImportResult> {
    await stageTable(this.conn, "sl_in", table, opts.family);
    const ordered = await checkpointsInOrder(this.conn, "sl_in");
    const at = tableLocator(table);
    const problems = await rowProblems(this.conn, "sl_in", at, MAX_PROBLEMS + 1, ordered);
    throwProblems(problems.slice(0, MAX_PROBLEMS), Math.max(0, problems.length - MAX_PROBLEMS));
    return this.commit("sl_in", table.origin, at, ordered);
  }

  async importFile(
    file: string | readonly string[],
    opts: LoadOptions = {},
  ): Promise<ImportResult & { rows: number; warnings: string[] }> {
    const paths = typeof file === "string" ? [file] : file;
    return withRunFiles({ paths, manifest: opts.manifest }, async (inputs) => {
      // One file names the family; several (one per run) share the folder's name.
      const one = inputs[0].label ?? inputs[0].path;
      const defaultFamily =
        inputs.length === 1
          ? fileStem(one === "stdin" ? "stdin" : one)
          : basename(dirname(resolve(one)));
      const staged = await stageFiles(this.conn, inputs, { defaultFamily, ...opts }, "sl_in");
      const origin = inputs.length === 1 ? one : `${inputs.length} files`;
      const result = await this.commit("sl_in", origin, staged.at, staged.ordered);
      return { ...result, rows: staged.rows, warnings: staged.warnings };
    });
  }

  /**
   * Adds staged rows that are not stored yet, in one transaction; stored values must agree.
   * `ordered`: the staged checkpoints are known not to repeat (checkpointsInOrder).
   */
  private async commit(
    staged: string,
    origin: string,
    at: Locator,
    ordered: boolean,
  ): Promise<ImportResult> {
    await this.attach(true);
    const c = this.conn;
    const total = Number((await rows(c, `SELECT count(*) AS n FROM ${staged}`))[0].n);
    await c.run("BEGIN TRANSACTION");
    try {
      // The general statement (anti-join with the store, first of repeated rows) costs two sorts;
      // skip each part when it cannot matter: a first import of a family, no repeated rows.
      const stored = Number(
        (
          await rows(
            c,
            `SELECT count(*) AS n FROM store.runs WHERE family IN (SELECT DISTINCT family FROM ${staged})`,
          )
        )[0].n,
      );
      let filled = 0;
      if (stored > 0) {
        await this.checkAgainstStore(staged, at);
        filled = (
          await c.run(`UPDATE store.runs s SET unique_tokens = i.unique_tokens FROM ${staged} i
            WHERE ${SAME_ROW("s", "i")} AND s.unique_tokens IS NULL AND i.unique_tokens IS NOT NULL`)
        ).rowsChanged;
      }
      const repeated = ordered
        ? 0
        : Number(
            (
              await rows(
                c,
                `SELECT count(*) AS n FROM (SELECT 1 FROM ${staged} GROUP BY family, model, seed, metric, step, CASE WHEN step IS NULL THEN tokens END HAVING count(*) > 1)`,
              )
            )[0].n,
          );
      const newRows =
        stored > 0
          ? `WHERE NOT EXISTS (SELECT 1 FROM store.runs s WHERE ${SAME_ROW("s", "i")})`
          : "";
      const firsts =
        repeated > 0
          ? "QUALIFY row_number() OVER (PARTITION BY family, model, seed, metric, step, CASE WHEN step IS NULL THEN tokens END ORDER BY r) = 1"
          : "";
      const res = await c.run(`INSERT INTO store.runs (${STORED}, origin, imported_at)
        SELECT ${STORED}, ${sqlString(origin)}, now()
        FROM (SELECT * FROM ${staged} i ${newRows} ${firsts})
        ORDER BY r`);
      await c.run("COMMIT");
      const inserted = res.rowsChanged;
      if (inserted > 0 || filled > 0) this.wrote = true;
      return { inserted, skipped: total - inserted, filled };
    } catch (e) {
      await c.run("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      await c.run(`DROP TABLE IF EXISTS ${staged}`);
    }
  }

  /**
   * A stored checkpoint with another value or other unique tokens, or a stored model of another
   * size, is a conflict.
   */
  private async checkAgainstStore(staged: string, at: Locator): Promise<void> {
    const found = await rows(
      this.conn,
      `SELECT * FROM (
        (SELECT i.r, i.model, 'value' AS what, i.value AS v, s.value AS stored, s.origin FROM ${staged} i JOIN store.runs s ON ${SAME_ROW("s", "i")}
          WHERE i.value <> s.value ORDER BY i.r LIMIT ${MAX_PROBLEMS + 1})
        UNION ALL
        (SELECT i.r, i.model, 'unique_tokens' AS what, i.unique_tokens AS v, s.unique_tokens AS stored, s.origin FROM ${staged} i JOIN store.runs s ON ${SAME_ROW("s", "i")}
          WHERE i.unique_tokens <> s.unique_tokens ORDER BY i.r LIMIT ${MAX_PROBLEMS + 1})
        UNION ALL
        (SELECT i.r, i.model, 'params' AS what, i.params AS v, s.params AS stored, s.origin FROM ${staged} i
          JOIN (SELECT family, model, any_value(params) AS params, any_value(origin) AS origin FROM store.runs GROUP BY family, model) s
          ON s.family = i.family AND s.model = i.model WHERE i.params <> s.params ORDER BY i.r LIMIT ${MAX_PROBLEMS + 1}))
      ORDER BY r LIMIT ${MAX_PROBLEMS + 1}`,
    );
    const problems = found.map((o) => {
      const r = Number(o.r);
      const what = String(o.what) as "value" | "params" | "unique_tokens";
      const differs = {
        value: "a different value at this checkpoint",
        params: "a different size",
        unique_tokens: "different unique tokens at this checkpoint",
      }[what];
      return new InputError(
        `model "${o.model}" is already stored with ${differs}: ${Number(o.v)} here, ${Number(o.stored)} in the store (from ${o.origin})${at.suffix(r)}`,
        {
          ...at.where(r, what),
          hint: "fix the file, or import it under another --family",
        },
      );
    });
    throwProblems(problems.slice(0, MAX_PROBLEMS), Math.max(0, problems.length - MAX_PROBLEMS));
  }

  async query(where?: string, opts: { metric?: string } = {}): Promise<RunTable> {
    await this.attach(false);
    const view = "(SELECT *, value AS loss FROM store.runs)";
    if (where) await checkWhere(this.conn, view, where, WHERE_COLUMNS);
    const conds = [
      opts.metric !== undefined ? `metric = ${sqlString(opts.metric)}` : "TRUE",
      where ? `(${where})` : "TRUE",
    ];
    try {
      return await fetchTable(
        this.conn,
        `(SELECT * FROM ${view} WHERE ${conds.join(" AND ")})`,
        `db:${this.path}`,
        "family, model, seed, metric, step NULLS FIRST, tokens",
      );
    } catch (e) {
      if (where && !(e instanceof InputError)) throw whereFailed(e, where);
      throw e;
    }
  }

  async summary(where?: string): Promise<FamilyRuns[]> {
    await this.attach(false);
    const view = "(SELECT *, value AS loss FROM store.runs)";
    if (where) await checkWhere(this.conn, view, where, WHERE_COLUMNS);
    try {
      return await summarizeRuns(
        this.conn,
        where ? `(SELECT * FROM ${view} WHERE (${where}))` : "store.runs",
      );
    } catch (e) {
      if (where && !(e instanceof InputError)) throw whereFailed(e, where);
      throw e;
    }
  }

  async close(): Promise<void> {
    try {
      if (this.attached) {
        if (this.wrote) await this.conn.run("CHECKPOINT store");
        await this.conn.run("DETACH store");
      }
    } finally {
      this.db.close();
    }
  }
}

/** Points at rows of an in-memory table: its origin and line when it has them, else its row. */
function tableLocator(t: RunTable): Locator {
  return {
    where: (r) => ({ file: t.origin, line: t.line?.[r] }),
    label: (r) => (t.line ? `line ${t.line[r]}` : `row ${r + 1}`),
    suffix: (r) => (t.line ? "" : ` (row ${r + 1})`),
  };
}

/**
 * Writes a run table to a Parquet file (zstd by default), atomically: to a temporary name beside
 * the target, then renamed, so readers never see half a file.
 */
export async function writeParquet(
  table: RunTable,
  path: string,
  opts: { compression?: "zstd" | "snappy" } = {},
): Promise<void> {
  const db = await openMemoryDb();
  try {
    await replaceAtomically(path, async (tmp) => {
      await stageTable(db.conn, "sl_out", table);
      await db.conn.run(
        `COPY (SELECT ${STORED} FROM sl_out ORDER BY r)
       TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION ${opts.compression ?? "zstd"})`,
      );
    });
  } finally {
    db.close();
  }
}
