import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { InputError, throwProblems } from "../errors.js";
import { replaceAtomically } from "./atomic.js";
import type { Locator } from "./checks.js";
import { CHECKPOINT, checkpointsDistinct, rowProblems, runHash, unprovenOf } from "./checks.js";
import { checkDirect, type DirectSelect, directSelect, ROW_TO_SKIP } from "./direct-import.js";
import {
  allowPaths,
  checkWhere,
  type Db,
  isSealed,
  keepOrder,
  openMemoryDb,
  rows,
  sqlString,
  unordered,
} from "./duckdb.js";
import { fileStem } from "./manifest.js";
import { withRunFiles } from "./open-runs.js";
import {
  dropStaged,
  type LoadOptions,
  MAX_PROBLEMS,
  type StageInput,
  skipNotes,
  stageFiles,
  WHERE_COLUMNS,
  whereFailed,
} from "./stage.js";
import { storeError } from "./store-errors.js";
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

/**
 * DuckDB's memory for an import: staged rows beyond it spill to the temporary folder, so a log of
 * any length imports in the same memory (peak RSS under 400 MB with Node's own, at 2M rows as at
 * 20M). At 180 MB a 2M-row re-import peaked at 396–453 MiB; at 140 MB 345–350 MiB, 5–10% slower.
 */
const STORE_MEMORY = "140MB";

/**
 * DuckDB's memory for an import straight from the file (`importDirect`): nothing is staged, so it
 * needs only the reader's buffers (about 30 MB per thread for CSV) and the row groups being
 * written; more memory is only more pages held (2M rows: peak RSS ≈ 230–260 MiB at 100 MB,
 * 250–290 MiB at 128 MB, 290–380 MiB at 180 MB, the same CPU). A file that needs more goes the
 * staged route (its limit, {@link STORE_MEMORY}, is set back for it and for the checkpoint).
 */
const directMemory = (threads: number) => `${64 + 32 * Math.max(1, threads)}MB`;

/** Files smaller than this are never compacted (an empty store is 0.5 MB). */
const COMPACT_MIN_BYTES = 4 << 20;

/** For tests: hooks into an import. */
export interface StoreHooks {
  /** Runs between a commit and the checkpoint that folds it into the file. */
  afterCommit?: () => void;
  /** Every file takes the staged route (to compare the quick route with it). */
  stagedOnly?: boolean;
  /** Rows a side per part of a re-import's join with the store (default 4M; small to test parts). */
  matchRows?: number;
}

/** Every stored column and its DuckDB type: a `runs` table without them is not ours. */
const STORED_TYPES: readonly (readonly [string, string])[] = [
  ...["family", "model"].map((c) => [c, "VARCHAR"] as const),
  ...["params", "tokens", "flops"].map((c) => [c, "DOUBLE"] as const),
  ["metric", "VARCHAR"],
  ["value", "DOUBLE"],
  ["seed", "VARCHAR"],
  ["step", "DOUBLE"],
  ...["arch", "dataset", "source", "origin"].map((c) => [c, "VARCHAR"] as const),
  ["imported_at", "TIMESTAMP"],
  ["unique_tokens", "DOUBLE"],
];

/**
 * One checkpoint of one run: same family, model, seed, metric and step (tokens when no step). All
 * equalities, so every join on it is a hash join (an OR here made the left join of
 * {@link matchStored} a nested loop).
 */
const SAME_ROW = (a: string, b: string) =>
  `${a}.family = ${b}.family AND ${a}.model = ${b}.model AND ${a}.seed = ${b}.seed AND ${a}.metric = ${b}.metric
   AND ${a}.step IS NOT DISTINCT FROM ${b}.step
   AND CASE WHEN ${a}.step IS NULL THEN ${a}.tokens END IS NOT DISTINCT FROM CASE WHEN ${b}.step IS NULL THEN ${b}.tokens END`;

/**
 * Opens (lazily creating, on first import) the store at `path`.
 * @throws InputError when `path` exists but is not a DuckDB database
 * @example const s = await openStore("scaleladder.duckdb"); await s.importTable(table); await s.close()
 */
export async function openStore(path: string, internal: StoreHooks = {}): Promise<Store> {
  if (existsSync(path) && !isDuckDbFile(path)) {
    throw new InputError("not a scaleladder store (not a DuckDB database)", {
      file: path,
      hint: "give `db` a .duckdb file made by scaleladder import, or a new path",
    });
  }
  return new DuckStore(path, await openMemoryDb(), internal);
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
  private attached: "read" | "write" | undefined;
  private hasUniqueTokens = true;
  private wrote = false;

  constructor(
    readonly path: string,
    private readonly db: Db,
    private readonly hooks: StoreHooks = {},
  ) {
    // DuckDB's write-ahead log and the files it rotates it through during checkpoint and recovery.
    allowPaths(db.conn, [
      path,
      ...[".wal", ".wal.checkpoint", ".wal.recovery"].map((x) => path + x),
    ]);
  }

  private get conn() {
    return this.db.conn;
  }

  /**
   * Attaches the database file: read-only for queries (so a store on a full disk, or with a
   * write-ahead log it cannot fold in, can still be read), read-write for imports, which alone may
   * create it. A file that is not scaleladder's store is refused before anything is written.
   */
  private async attach(mode: "read" | "write"): Promise<void> {
    if (this.attached === mode || (this.attached === "write" && mode === "read")) return;
    if (this.attached === "read") {
      await this.conn.run("DETACH store");
      this.attached = undefined;
    }
    const existed = existsSync(this.path);
    if (mode === "read" && !existed) {
      throw new InputError("no store here yet", {
        file: this.path,
        hint: `create it with scaleladder import FILE \`db\` ${this.path}`,
      });
    }
    if (!existed) mkdirSync(dirname(this.path), { recursive: true });
    try {
      await this.conn.run(
        `ATTACH ${sqlString(this.path)} AS store${mode === "read" ? " (READ_ONLY)" : ""}`,
      );
    } catch (e) {
      throw storeError(e, this.path, "open");
    }
    this.attached = mode;
    if (!existed) await this.conn.run(SCHEMA);
    await this.checkSchema();
    if (mode === "write") {
      await this.checkReadable();
      await this.addMissingColumns();
      await this.compactIfBloated();
    }
  }

  /**
   * An import killed while writing leaves its blocks in the file (0.5 → 32 MB for the same rows
   * in issue 10's sweep), and DuckDB never shrinks a file. When the file is far larger than its
   * rows can need, the next import copies the store to a fresh file and renames it over the old one
   * (atomic: a crash leaves the old file and a stray `.compact-*` copy).
   */
  private async compactIfBloated(): Promise<void> {
    const n = await countOf(this.conn, "store.runs");
    const size = statSync(this.path).size;
    // Stored rows take about 25 bytes each; allow for far more before paying for a copy.
    if (size < COMPACT_MIN_BYTES || size < 2 * ((1 << 20) + 64 * n)) return;
    const tmp = `${this.path}.compact-${randomBytes(4).toString("hex")}`;
    allowPaths(this.conn, [tmp, `${tmp}.wal`]);
    try {
      await this.conn.run(`ATTACH ${sqlString(tmp)} AS sl_compact`);
      await this.conn.run("COPY FROM DATABASE store TO sl_compact");
      await this.conn.run("DETACH sl_compact");
      await this.conn.run("DETACH store");
      this.attached = undefined;
      renameSync(tmp, this.path);
    } catch (e) {
      await this.conn.run("DETACH DATABASE IF EXISTS sl_compact").catch(() => undefined);
      rmSync(tmp, { force: true });
      rmSync(`${tmp}.wal`, { force: true });
      throw storeError(e, this.path, "checkpoint");
    }
    await this.conn.run(`ATTACH ${sqlString(this.path)} AS store`);
    this.attached = "write";
  }

  /** The store's runs table must have scaleladder's columns and types (`unique_tokens` may be missing). */
  private async checkSchema(): Promise<void> {
    const found = await rows(
      this.conn,
      "SELECT column_name AS n, data_type AS t FROM duckdb_columns() WHERE database_name = 'store' AND schema_name = 'main' AND table_name = 'runs'",
    );
    if (found.length === 0) {
      throw new InputError("a DuckDB database without scaleladder runs", {
        file: this.path,
        hint: "give `db` a store made by scaleladder import, or a new path",
      });
    }
    const types = new Map(found.map((r) => [String(r.n), String(r.t)]));
    const wrong = STORED_TYPES.filter(
      ([name, type]) => types.get(name) !== type && !(name === "unique_tokens" && !types.has(name)),
    ).map(([name]) => name);
    if (wrong.length > 0) {
      throw new InputError(
        `a DuckDB database whose runs table is not scaleladder's (${wrong.length} columns missing or of another type: ${wrong.slice(0, 4).join(", ")}${wrong.length > 4 ? ", …" : ""})`,
        {
          file: this.path,
          hint: "it was left untouched; give `db` a store made by scaleladder import, or a new path",
        },
      );
    }
    this.hasUniqueTokens = types.has("unique_tokens");
  }

  /**
   * Reads every stored block once (DuckDB verifies each block's checksum as it reads), so an import
   * never appends to a damaged file and reports success for rows no command could read back.
   */
  private async checkReadable(): Promise<void> {
    try {
      await rows(this.conn, "SELECT max(hash(COLUMNS(*))) FROM store.runs");
    } catch (e) {
      throw storeError(e, this.path, "commit");
    }
  }

  /** Stores written before `unique_tokens` existed gain the column (NULL in their rows). */
  private async addMissingColumns(): Promise<void> {
    if (this.hasUniqueTokens) return;
    await this.conn.run("ALTER TABLE store.runs ADD COLUMN unique_tokens DOUBLE");
    this.hasUniqueTokens = true;
    this.wrote = true;
  }

  /** The stored runs, with `unique_tokens` even in a store opened read-only before it existed. */
  private get runs(): string {
    return this.hasUniqueTokens
      ? "store.runs"
      : "(SELECT *, CAST(NULL AS DOUBLE) AS unique_tokens FROM store.runs)";
  }

  /** Imports run within {@link STORE_MEMORY}; reads keep DuckDB's default (sorting big stores). */
  private async limitMemory(limit = STORE_MEMORY): Promise<void> {
    if (!isSealed(this.conn)) await this.conn.run(`SET memory_limit = ${sqlString(limit)}`);
  }

  async importTable(table: RunTable, opts: { family?: string } = {}): Promise<ImportResult> {
    await this.limitMemory();
    await dropStaged(this.conn, "sl_in");
    await stageTable(this.conn, "sl_in", table, opts.family);
    const ordered = await checkpointsDistinct(this.conn, "sl_in", true);
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
    await this.limitMemory();
    return withRunFiles({ paths, manifest: opts.manifest }, async (inputs) => {
      // One file names the family; several (one per run) share the folder's name.
      const one = inputs[0].label ?? inputs[0].path;
      const defaultFamily =
        inputs.length === 1
          ? fileStem(one === "stdin" ? "stdin" : one)
          : basename(dirname(resolve(one)));
      const origin = inputs.length === 1 ? one : `${inputs.length} files`;
      if (inputs.length === 1 && !this.hooks.stagedOnly) {
        const direct = await this.importDirect(inputs[0], { defaultFamily, ...opts }, origin);
        if (direct) return direct;
      }
      const staged = await stageFiles(this.conn, inputs, { defaultFamily, ...opts }, "sl_in");
      const result = await this.commit("sl_in", origin, staged.at, staged.ordered);
      return { ...result, rows: staged.rows, warnings: staged.warnings };
    });
  }

  /**
   * The quick route of a file import: its rows go straight from the file into the store (no
   * staging table) and are checked there, in one transaction that is committed only when they are
   * new to the store and have no problem at all. Undefined (and nothing changed) otherwise: the
   * staged route then reads the file again, and says what is wrong with which line, or skips,
   * picks or compares what it must.
   */
  private async importDirect(
    input: StageInput,
    o: LoadOptions,
    origin: string,
  ): Promise<(ImportResult & { rows: number; warnings: string[] }) | undefined> {
    const c = this.conn;
    let direct: DirectSelect | undefined;
    try {
      direct = await directSelect(c, input, o, STORED);
    } catch {
      return undefined;
    }
    if (direct === undefined) return undefined;
    const { select, skipping } = direct;
    // The staged route checks the file before it creates or even opens a store: so must this one
    // when it gives way (a bad file never creates a store; a foreign one is named after the file).
    const created = !existsSync(this.path);
    try {
      await this.attach("write");
    } catch {
      await this.release(created);
      return undefined;
    }
    const threads = Number((await rows(c, "SELECT current_setting('threads') AS n"))[0].n);
    await this.limitMemory(directMemory(threads));
    const before = await countOf(c, "store.runs");
    await c.run("BEGIN TRANSACTION");
    let committed = false;
    try {
      // The import's own time marks its rows; no stored row may carry it already.
      const when = await importTime(c);
      const mark = `imported_at = ${when}`;
      if ((await countOf(c, `store.runs WHERE ${mark}`)) > 0) return undefined;
      // A file whose first row's family is stored already (imported again, or grown since) needs
      // the staged route's comparisons: no use writing it all first.
      if (before > 0) {
        const first = await rows(c, `SELECT family FROM (${select}) LIMIT 1`);
        const stored = await rows(c, "SELECT 1 FROM store.runs WHERE family = $1 LIMIT 1", [
          String(first[0]?.family),
        ]);
        if (stored.length > 0) return undefined;
      }
      // Stored rows have no order (every read sorts them): the rows go in as they come.
      const insert = (from: string) =>
        unordered(c, () =>
          c.run(`INSERT INTO store.runs (${STORED}, origin, imported_at)
            SELECT ${STORED}, ${sqlString(origin)}, ${when} FROM (${from})`),
        );
      let inserted: number;
      let skipped = new Map<string, number>();
      try {
        inserted = (await insert(select)).rowsChanged;
      } catch (e) {
        // A file with incomplete rows (a W&B history, a log from step 0) is read again, skipping
        // them: a clean file never pays for telling their empty cells from unreadable ones.
        if (skipping === undefined || !String(e).includes(ROW_TO_SKIP)) throw e;
        await c.run("ROLLBACK");
        await c.run("BEGIN TRANSACTION");
        inserted = (await insert(skipping)).rowsChanged;
        skipped = await direct.skipped();
      }
      // No row is deleted before the commit (incomplete ones are left out by the SELECT instead): a
      // transaction that deleted any of its rows has them all appended again, on one thread, as it
      // commits (2M rows less 2,000 untrained: 2.8–5.8 s).
      if (inserted === 0) return undefined;
      const label = input.label ?? input.path;
      const fresh = `(SELECT * FROM store.runs WHERE ${mark})`;
      const warnings = await checkDirect(c, fresh, label);
      if (warnings === undefined) return undefined;
      // Rows of these families stored before need the comparisons of the staged route.
      if (before > 0 && (await storedOfFamilies(c, fresh)) > inserted) return undefined;
      await c.run("COMMIT");
      committed = true;
      this.hooks.afterCommit?.();
      this.wrote = true;
      return {
        inserted,
        skipped: 0,
        filled: 0,
        rows: inserted,
        warnings: [...skipNotes(label, skipped), ...warnings],
      };
    } catch (e) {
      if (committed) throw e;
      // A file the quick route cannot take (an unreadable cell, a repeat, a malformed line, a full
      // disk) goes the staged route, which says what it is.
      return undefined;
    } finally {
      if (!committed) {
        await c.run("ROLLBACK").catch(() => undefined);
        await keepOrder(c);
        if (created) await this.release(true);
      }
      // The checkpoint that folds the rows into the file, or the staged route, needs more.
      await this.limitMemory();
    }
  }

  /** Detaches the store after the quick route gave way, and removes it if that route created it. */
  private async release(created: boolean): Promise<void> {
    if (this.attached) await this.conn.run("DETACH store").catch(() => undefined);
    this.attached = undefined;
    if (created) for (const f of [this.path, `${this.path}.wal`]) rmSync(f, { force: true });
  }

  /**
   * Adds staged rows that are not stored yet, in one transaction; stored values must agree.
   * `ordered`: the staged checkpoints are known not to repeat; else the runs that may repeat one
   * are in `unprovenOf(staged)` (checkpointsDistinct with `keep`).
   */
  private async commit(
    staged: string,
    origin: string,
    at: Locator,
    ordered: boolean,
  ): Promise<ImportResult> {
    await this.attach("write");
    const c = this.conn;
    const total = await countOf(c, staged);
    await c.run("BEGIN TRANSACTION");
    try {
      // The general statement (anti-join with the store, first of repeated rows) costs two sorts;
      // skip each part when it cannot matter: a first import of a family, no repeated rows.
      const stored = await storedOfFamilies(c, staged);
      let filled = 0;
      if (stored > 0) {
        const side = Math.max(total, stored);
        const parts = Math.max(1, Math.ceil(side / (this.hooks.matchRows ?? MATCH_ROWS)));
        await matchStored(c, staged, parts);
        await this.checkAgainstStore(staged, at);
        if ((await countOf(c, `${MATCHED} WHERE fills`)) > 0)
          filled = (
            await c.run(`UPDATE store.runs s SET unique_tokens = i.unique_tokens FROM ${matchedOnly(staged, "fills")} i
              WHERE ${SAME_ROW("s", "i")} AND s.unique_tokens IS NULL AND i.unique_tokens IS NOT NULL`)
          ).rowsChanged;
      }
      // Repeated rows can only be in runs one streaming scan did not prove (few): they are looked
      // for there alone (grouping every row held a table of all of them: out of memory at 20M).
      const unproven = `${runHash("i")} IN (SELECT h FROM ${unprovenOf(staged)})`;
      const repeated = ordered
        ? 0
        : await countOf(
            c,
            `(SELECT 1 FROM ${staged} i WHERE ${unproven} GROUP BY ${CHECKPOINT} HAVING count(*) > 1)`,
          );
      // Staged rows the store holds already are left out: only the new ones are kept, by number.
      const newRows = stored > 0 ? `SEMI JOIN ${MATCHED} m ON m.r = i.r AND m.new` : "";
      const from = (where: string) => `SELECT i.* FROM ${staged} i ${newRows} ${where}`;
      const kept =
        repeated > 0
          ? `${from(`WHERE NOT ${unproven}`)} UNION ALL SELECT * FROM (${from(`WHERE ${unproven}`)}
            QUALIFY row_number() OVER (PARTITION BY ${CHECKPOINT} ORDER BY r) = 1)`
          : from("");
      const when = await importTime(c);
      const insert = () =>
        c.run(`INSERT INTO store.runs (${STORED}, origin, imported_at)
        SELECT ${STORED}, ${sqlString(origin)}, ${when} FROM (${kept})`);
      // Stored rows have no order (every read sorts them, and no two stored rows share a
      // checkpoint), so the rows go in as they come, also when stored rows or later repeats are
      // left out (sorting those by row number took 43 of 131 s at 20M rows). A file imported
      // again has no new row: nothing to insert.
      const fresh = stored > 0 ? await countOf(c, `${MATCHED} WHERE new`) : total;
      const res = fresh === 0 ? { rowsChanged: 0 } : await unordered(c, insert);
      await c.run("COMMIT");
      this.hooks.afterCommit?.();
      const inserted = res.rowsChanged;
      if (inserted > 0 || filled > 0) this.wrote = true;
      return { inserted, skipped: total - inserted, filled };
    } catch (e) {
      await c.run("ROLLBACK").catch(() => undefined);
      await keepOrder(c);
      throw storeError(e, this.path, "commit");
    } finally {
      await dropStaged(c, staged);
      await c.run(`DROP TABLE IF EXISTS ${MATCHED}`);
    }
  }

  /**
   * A stored checkpoint with another value or other unique tokens, or a stored model of another
   * size, is a conflict. Checkpoints are compared again only for the rows {@link matchStored}
   * found to differ; sizes per model (a join with one row per stored model). Two problems of one
   * row are listed size first, then value, then unique tokens (sorting by row alone left their
   * order to the threads' timing).
   */
  private async checkAgainstStore(staged: string, at: Locator): Promise<void> {
    const first = `ORDER BY i.r LIMIT ${MAX_PROBLEMS + 1}`;
    const differ = matchedOnly(staged, "differs");
    const checkpoints = (what: "value" | "unique_tokens", k: number) =>
      `(SELECT i.r, i.model, '${what}' AS what, ${k} AS k, i.${what} AS v, s.${what} AS stored, s.origin FROM ${differ} i
        JOIN store.runs s ON ${SAME_ROW("s", "i")} WHERE i.${what} <> s.${what} ${first})`;
    const parts = [
      `(SELECT i.r, i.model, 'params' AS what, 0 AS k, i.params AS v, s.params AS stored, s.origin FROM ${staged} i
        JOIN (SELECT family, model, any_value(params) AS params, any_value(origin) AS origin FROM store.runs GROUP BY family, model) s
        ON s.family = i.family AND s.model = i.model WHERE i.params <> s.params ${first})`,
    ];
    if ((await countOf(this.conn, `${MATCHED} WHERE differs`)) > 0)
      parts.push(checkpoints("value", 1), checkpoints("unique_tokens", 2));
    const found = await rows(
      this.conn,
      `SELECT * FROM (${parts.join(" UNION ALL ")}) ORDER BY r, k LIMIT ${MAX_PROBLEMS + 1}`,
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
          hint: "fix the file, or import it under another family (`setFamily`)",
        },
      );
    });
    throwProblems(problems.slice(0, MAX_PROBLEMS), Math.max(0, problems.length - MAX_PROBLEMS));
  }

  async query(where?: string, opts: { metric?: string } = {}): Promise<RunTable> {
    await this.attach("read");
    const view = `(SELECT *, value AS loss FROM ${this.runs})`;
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
      const failed = storeError(e, this.path, "read");
      if (failed !== e) throw failed;
      if (where && !(e instanceof InputError)) throw whereFailed(e, where);
      throw e;
    }
  }

  async summary(where?: string): Promise<FamilyRuns[]> {
    await this.attach("read");
    const view = `(SELECT *, value AS loss FROM ${this.runs})`;
    if (where) await checkWhere(this.conn, view, where, WHERE_COLUMNS);
    try {
      return await summarizeRuns(
        this.conn,
        where ? `(SELECT * FROM ${view} WHERE (${where}))` : this.runs,
      );
    } catch (e) {
      const failed = storeError(e, this.path, "read");
      if (failed !== e) throw failed;
      if (where && !(e instanceof InputError)) throw whereFailed(e, where);
      throw e;
    }
  }

  /**
   * Folds the write-ahead log into the file and detaches. Rows committed before a failing
   * checkpoint are safe in the log (`<store>.wal`) and replayed by the next open, so the error says so.
   */
  async close(): Promise<void> {
    try {
      if (this.attached) {
        try {
          if (this.wrote) await this.conn.run("CHECKPOINT store");
          await this.conn.run("DETACH store");
        } catch (e) {
          throw storeError(e, this.path, this.wrote ? "checkpoint" : "close");
        }
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

/** The table {@link matchStored} writes. */
const MATCHED = "sl_matched";

/**
 * What a re-import must know of each staged row, found by one join of the import with the store:
 * rows new to the store (`new`), stored with another value or other unique tokens (`differs`), or
 * stored without the unique tokens the staged row has (`fills`), by their numbers `r`. Rows stored
 * as they are staged (all of them, importing a file again) are left out, so the table is small;
 * every comparison reads it instead of joining the two again, and only the few rows that differ or
 * fill are joined again, for the values their messages quote.
 */
async function matchStored(conn: DuckDBConnection, staged: string, parts: number): Promise<void> {
  // The join's hash table must fit DuckDB's memory limit (STORE_MEMORY): a big re-import joins in
  // parts by a hash of the run, which equal rows share (20M rows in one part: out of memory).
  for (let j = 0; j < parts; j++) {
    const part = (t: string) =>
      parts === 1 ? t : `(SELECT * FROM ${t} WHERE hash(family, model) % ${parts} = ${j})`;
    await conn.run(`${j === 0 ? `CREATE OR REPLACE TEMP TABLE ${MATCHED} AS` : `INSERT INTO ${MATCHED}`}
      SELECT * FROM (SELECT i.r,
        s.family IS NULL AS new,
        coalesce(i.value <> s.value OR i.unique_tokens <> s.unique_tokens, false) AS differs,
        coalesce(s.unique_tokens IS NULL AND i.unique_tokens IS NOT NULL, false) AS fills
      FROM ${part(staged)} i LEFT JOIN ${part("store.runs")} s ON ${SAME_ROW("s", "i")})
      WHERE new OR differs OR fills`);
  }
}

/**
 * Rows a side that {@link matchStored} joins in one part within {@link STORE_MEMORY} (a 2M-row
 * re-import is one part; 20M rows take five, 48 s wall, peak RSS 391 MiB).
 */
const MATCH_ROWS = 4_000_000;

/** The staged rows {@link matchStored} flagged with `flag`. */
function matchedOnly(staged: string, flag: "differs" | "fills"): string {
  return `(SELECT * FROM ${staged} WHERE r IN (SELECT r FROM ${MATCHED} WHERE ${flag}))`;
}

/** How many rows `from` holds: a table, or a parenthesised query, optionally with a WHERE. */
async function countOf(conn: DuckDBConnection, from: string): Promise<number> {
  return Number((await rows(conn, `SELECT count(*) AS n FROM ${from}`))[0].n);
}

/** Stored rows of the families in `table`: a family new to the store needs no comparisons. */
function storedOfFamilies(conn: DuckDBConnection, table: string): Promise<number> {
  return countOf(conn, `store.runs WHERE family IN (SELECT DISTINCT family FROM ${table})`);
}

/**
 * Now as one TIMESTAMP literal for every row of an import (now() is cast row by row otherwise);
 * the quick route's rows are found again by it.
 */
async function importTime(conn: DuckDBConnection): Promise<string> {
  const t = String((await rows(conn, "SELECT CAST(now() AS TIMESTAMP)::VARCHAR AS t"))[0].t);
  return `TIMESTAMP ${sqlString(t)}`;
}
