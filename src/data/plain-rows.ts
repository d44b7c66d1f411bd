import { duckDouble, readNumber } from "./cell-number.js";
import type { Field, ResolvedColumns } from "./columns.js";
import type { LoadOptions } from "./stage.js";
import type { RunTable } from "./types.js";
import type { WhereRow } from "./where-eval.js";

/*
 * The rows of the JavaScript reader (plain-csv.ts): canonical fields from the cells of one record,
 * derived and checked as the DuckDB route derives and checks them, with "no" at the first doubt.
 */

/** Text fields read from a column; all other fields are numbers. */
const TEXT: readonly Field[] = ["family", "model", "seed", "metric", "arch", "dataset", "source"];

/** Growable Float64Array: `grow()` before writing at `a.length`. */
class Numbers {
  a = new Float64Array(1024);
  grow(size = this.a.length * 2): void {
    const b = new Float64Array(size);
    b.set(this.a.subarray(0, Math.min(size, this.a.length)));
    this.a = b;
  }
}

const OPTIONAL_TEXT = ["arch", "dataset", "source"] as const;

/** Decodes each distinct cell of one text column once; repeats return the same string. */
class TextColumn {
  private last = Buffer.alloc(0);
  private lastText = "";
  private readonly known = new Map<string, string>();

  read(buf: Buffer, s: number, e: number): string {
    const len = e - s;
    const last = this.last;
    if (len === last.length) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (buf[s + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastText;
    }
    const t = buf.toString("utf8", s, e);
    const known = this.known.get(t);
    this.last = Buffer.from(buf.subarray(s, e));
    this.lastText = known ?? t;
    if (known === undefined) this.known.set(t, t);
    return this.lastText;
  }
}

/**
 * A text column of the table as codes into its distinct strings, made an array once at the end:
 * four pushes of a string per row into growing arrays cost a fifth of the read.
 */
class TextCodes {
  private codes = new Int32Array(1024);
  private readonly distinct: string[] = [];
  private readonly index = new Map<string, number>();
  private last: string | undefined;
  private lastCode = -1;

  /** `constant`: the column's value on every row (no such cell in the file); `set` then does nothing. */
  constructor(private readonly constant?: string) {}

  set(n: number, t: string): void {
    if (this.constant !== undefined) return;
    if (n === this.codes.length) {
      const b = new Int32Array(n * 2);
      b.set(this.codes);
      this.codes = b;
    }
    if (t !== this.last) {
      let c = this.index.get(t);
      if (c === undefined) {
        c = this.distinct.length;
        this.distinct.push(t);
        this.index.set(t, c);
      }
      this.last = t;
      this.lastCode = c;
    }
    this.codes[n] = this.lastCode;
  }

  reserve(rows: number): void {
    if (rows <= this.codes.length || this.constant !== undefined) return;
    const b = new Int32Array(rows);
    b.set(this.codes);
    this.codes = b;
  }

  /** The codes of the rows so far and the strings they number (see {@link Rows}). */
  part(): Codes {
    return { codes: this.codes, distinct: this.distinct, constant: this.constant };
  }
}

/**
 * The first n rows of a text column as strings, in `out` (of length n unless given): a column
 * already made strings is itself.
 */
export function stringsOf(c: Text, n: number, out = new Array<string>(n)): string[] {
  if (Array.isArray(c)) return c;
  if (c.constant !== undefined) return out.fill(c.constant, 0, n);
  const { codes, distinct } = c;
  for (let i = 0; i < n; i++) out[i] = distinct[codes[i]];
  return out;
}

/** The text of cell j ("" when the column is absent or the cell empty); null if padded. */
function cellText(
  j: number,
  column: TextColumn | undefined,
  buf: Buffer,
  starts: Int32Array,
): string | null {
  if (j < 0) return "";
  const s = starts[j];
  const e = starts[j + 1] - 1;
  if (s === e) return "";
  if (isBlank(buf[s]) || isBlank(buf[e - 1])) return null;
  return (column as TextColumn).read(buf, s, e);
}

/**
 * Canonical rows from cells, derived as `canonSelect` derives them, with the checks of
 * `cellProblems`, `rowProblems` and `unitWarnings` as yes/no (`add` or `finish` says no).
 */
export class RowBuilder {
  private n = 0;
  private readonly col: Record<Field, number>;
  private readonly text: Partial<Record<Field, TextColumn>> = {};
  private readonly extraCols: number[];
  private readonly keep: string | undefined;
  private readonly tokensPerStep: number;
  private readonly family: TextCodes;
  private readonly model = new TextCodes();
  private readonly metric: TextCodes;
  private readonly seed: TextCodes;
  readonly optional = { arch: [] as string[], dataset: [] as string[], source: [] as string[] };
  private readonly seen = new Set<string>();
  private readonly num = {
    params: new Numbers(),
    tokens: new Numbers(),
    flops: new Numbers(),
    value: new Numbers(),
    step: new Numbers(),
    unique: new Numbers(),
  };
  private readonly extra: Numbers[];
  private maxP = -Infinity;
  private maxT = -Infinity;
  /** Run of each row: family, model, seed and metric (strings compared by reference first). */
  private runOf = new Int32Array(1024);
  private readonly runIds = new Map<string, number>();
  private readonly runParams: number[] = [];
  private readonly sizes = new Map<string, number>();
  private prev: string[] = ["", "", "", ""];
  private prevRun = -1;
  private lastP = Number.NaN;
  private lastName = "";
  /**
   * The current record's cells that the split read as plain numbers: `plain[j]` is 1 when
   * `values[j]` holds cell j's number (filled by plain-csv.ts before each `add`).
   */
  readonly values: Float64Array;
  readonly plain: Uint8Array;
  /** Columns of the numbers in `cells` order (-1 when the file has no such column). */
  private readonly numberCols: Int32Array;
  /** The row's numbers as read: params, value, tokens, flops, step, unique tokens, an extra. */
  private readonly cells = new Float64Array(7);
  private readonly long: boolean;
  private readonly metricName: string;
  private readonly textModel: TextColumn | undefined;
  private readonly textFamily: TextColumn | undefined;
  private readonly textSeed: TextColumn | undefined;
  /** The optional text columns the file has, and the current row's cells of them. */
  private readonly optionalCols: (typeof OPTIONAL_TEXT)[number][];
  private readonly optionalText: string[];
  /** The row filter (`where`, see where-eval.ts) and the row it is shown, reused. */
  private readonly filter: ((row: WhereRow) => boolean) | undefined;
  private readonly whereRow: WhereRow = {
    family: "",
    model: "",
    metric: "",
    seed: "",
    arch: null,
    dataset: null,
    source: null,
    params: 0,
    tokens: 0,
    flops: 0,
    value: 0,
    step: null,
    unique_tokens: null,
  };

  constructor(
    header: readonly string[],
    private readonly res: ResolvedColumns,
    private readonly o: LoadOptions,
    filter?: (row: WhereRow) => boolean,
  ) {
    this.filter = filter;
    const at = (f: Field) => (res.columns[f] === undefined ? -1 : header.indexOf(res.columns[f]));
    const fields: Field[] = [
      ...TEXT,
      "params",
      "tokens",
      "flops",
      "step",
      "value",
      "unique_tokens",
    ];
    this.col = Object.fromEntries(fields.map((f) => [f, at(f)])) as Record<Field, number>;
    for (const f of TEXT) if (this.col[f] >= 0) this.text[f] = new TextColumn();
    this.extraCols = res.extra.map((e) => header.indexOf(e.column));
    this.extra = this.extraCols.map(() => new Numbers());
    this.keep = res.kind === "long" ? res.metricFilter : undefined;
    this.tokensPerStep = Number(o.tokensPerStep ?? Number.NaN);
    this.long = res.kind === "long";
    this.metricName = res.metricName ?? "loss";
    this.textModel = this.text.model;
    this.textFamily = this.text.family;
    this.textSeed = this.text.seed;
    this.optionalCols = OPTIONAL_TEXT.filter((k) => this.col[k] >= 0);
    this.optionalText = this.optionalCols.map(() => "");
    // Columns the file does not have are one value on every row (as `add` derives them).
    const noFamilyCell = o.setFamily !== undefined || this.col.family < 0;
    this.family = new TextCodes(noFamilyCell ? (o.setFamily ?? o.defaultFamily ?? "") : undefined);
    this.metric = new TextCodes(this.long ? undefined : this.metricName);
    this.seed = new TextCodes(this.col.seed < 0 ? "0" : undefined);
    this.numberCols = Int32Array.of(
      this.col.params,
      this.col.value,
      this.col.tokens,
      this.col.flops,
      this.col.step,
      this.col.unique_tokens,
    );
    this.values = new Float64Array(header.length);
    this.plain = new Uint8Array(header.length);
  }

  /** The number columns that grow with the rows: unique tokens only when the file has them. */
  private grown(): Numbers[] {
    const { unique, ...rest } = this.num;
    return this.col.unique_tokens >= 0 ? [...Object.values(rest), unique] : Object.values(rest);
  }

  /** Makes room for `rows` rows. */
  reserve(rows: number): void {
    if (rows <= this.num.params.a.length) return;
    for (const x of this.grown()) x.grow(rows);
    for (const x of this.extra) x.grow(rows);
    const runOf = new Int32Array(rows);
    runOf.set(this.runOf.subarray(0, Math.min(rows, this.runOf.length)));
    this.runOf = runOf;
    for (const t of [this.family, this.model, this.metric, this.seed]) t.reserve(rows);
  }

  /** The text of a column's cell ("" when the column is absent or the cell empty); null if padded. */
  private cellText(f: Field, buf: Buffer, starts: Int32Array): string | null {
    return cellText(this.col[f], this.text[f], buf, starts);
  }

  /**
   * Cell j into `cells[k]`: NaN when the column is absent or the cell empty; false if unreadable.
   * A plain number was read during the split (`plain[j]`, see plain-csv.ts); others from the bytes.
   */
  private cellNumber(j: number, buf: Buffer, starts: Int32Array, k: number): boolean {
    const cells = this.cells;
    if (j < 0) {
      cells[k] = Number.NaN;
      return true;
    }
    if (this.plain[j] === 1) {
      cells[k] = this.values[j];
      return true;
    }
    const s = starts[j];
    const e = starts[j + 1] - 1;
    if (s === e) {
      cells[k] = Number.NaN;
      return true;
    }
    return readNumber(buf, s, e, cells, k);
  }

  /**
   * Adds the record whose cells start at `starts` (one past the end at `starts[width]`), with the
   * numbers the split already read in `values` and `plain`. False when the reader must decline.
   */
  add(buf: Buffer, starts: Int32Array): boolean {
    const c = this.col;
    const res = this.res;
    const m = this.long ? this.cellText("metric", buf, starts) : this.metricName;
    if (m === null || m === "") return false;
    if (this.keep !== undefined && m !== this.keep) return true;
    // Numbers go through a typed scratch row: no double crosses a call boxed. The split read the
    // plain ones (checked here, inline); cellNumber reads the rest.
    const cells = this.cells;
    const plain = this.plain;
    const values = this.values;
    const numberCols = this.numberCols;
    for (let k = 0; k < 6; k++) {
      const j = numberCols[k];
      if (j >= 0 && plain[j] === 1) cells[k] = values[j];
      else if (!this.cellNumber(j, buf, starts, k)) return false;
    }
    const p = cells[0];
    const v = cells[1];
    const tk = cells[2];
    const fl = cells[3];
    const st = cells[4];
    const u = cells[5];
    const tokens =
      res.tokensFrom === "tokens"
        ? tk
        : res.tokensFrom === "flops"
          ? fl / (6 * p)
          : st * this.tokensPerStep;
    const flops = Number.isNaN(fl) ? 6 * p * tokens : fl;
    // Required values present, every number positive and finite, steps not negative.
    if (!(p > 0 && v > 0 && tokens > 0 && flops > 0)) return false;
    if (!Number.isFinite(tokens) || !Number.isFinite(flops)) return false;
    if (st < 0 || !(Number.isNaN(u) || (u > 0 && u <= tokens))) return false;
    const n = this.n;
    if (n === this.num.params.a.length) {
      for (const x of this.grown()) x.grow();
      for (const x of this.extra) x.grow();
    }
    for (let e = 0; e < this.extraCols.length; e++) {
      if (!this.cellNumber(this.extraCols[e], buf, starts, 6)) return false;
      this.extra[e].a[n] = cells[6];
    }
    let name: string | null;
    if (c.model >= 0) {
      name = cellText(c.model, this.textModel, buf, starts);
      if (name === null || name === "") return false;
    } else if (c.step >= 0) {
      if (p !== this.lastP) {
        this.lastP = p;
        this.lastName = `N=${duckDouble(p)}`;
      }
      name = this.lastName;
    } else {
      name = `N=${duckDouble(p)} D=${duckDouble(tokens)}`;
      if (c.unique_tokens >= 0 && !Number.isNaN(u)) name += ` U=${duckDouble(u)}`;
    }
    const famCell =
      this.o.setFamily === undefined ? cellText(c.family, this.textFamily, buf, starts) : "";
    const seedCell = cellText(c.seed, this.textSeed, buf, starts);
    if (famCell === null || seedCell === null) return false;
    const fam = this.o.setFamily ?? (famCell !== "" ? famCell : (this.o.defaultFamily ?? ""));
    const seed = seedCell !== "" ? seedCell : "0";
    const opt = this.optionalText;
    for (let i = 0; i < opt.length; i++) {
      const t = this.cellText(this.optionalCols[i], buf, starts);
      if (t === null) return false;
      opt[i] = t;
    }
    // The filter sees the row as the DuckDB route's `where` sees it, before any row check.
    const filter = this.filter;
    if (filter !== undefined) {
      const w = this.whereRow;
      w.family = fam;
      w.model = name;
      w.metric = m;
      w.seed = seed;
      w.params = p;
      w.tokens = tokens;
      w.flops = flops;
      w.value = v;
      w.step = Number.isNaN(st) ? null : st;
      w.unique_tokens = Number.isNaN(u) ? null : u;
      for (let i = 0; i < opt.length; i++) w[this.optionalCols[i]] = opt[i] === "" ? null : opt[i];
      if (!filter(w)) return true;
    }
    for (let i = 0; i < opt.length; i++) {
      const k = this.optionalCols[i];
      if (opt[i] !== "") this.seen.add(k);
      this.optional[k].push(opt[i]);
    }
    if (!this.run(n, fam, name, seed, m)) return false;
    this.family.set(n, fam);
    this.model.set(n, name);
    this.metric.set(n, m);
    this.seed.set(n, seed);
    if (!Number.isNaN(u)) this.seen.add("unique");
    const num = this.num;
    num.params.a[n] = p;
    num.tokens.a[n] = tokens;
    num.flops.a[n] = flops;
    num.value.a[n] = v;
    num.step.a[n] = st;
    if (this.col.unique_tokens >= 0) num.unique.a[n] = u;
    if (p > this.maxP) this.maxP = p;
    if (tokens > this.maxT) this.maxT = tokens;
    this.n++;
    return true;
  }

  /** Numbers row n's run; false when its model was seen with another size. */
  private run(n: number, fam: string, model: string, seed: string, metric: string) {
    const p = this.cells[0];
    const prev = this.prev;
    let id = this.prevRun;
    if (fam !== prev[0] || model !== prev[1] || seed !== prev[2] || metric !== prev[3] || id < 0) {
      const key = `${fam}\u0000${model}\u0000${seed}\u0000${metric}`;
      id = this.runIds.get(key) ?? -1;
      if (id < 0) {
        id = this.runIds.size;
        this.runIds.set(key, id);
        // One size per model, whatever its seeds and metrics.
        const sizeKey = `${fam}\u0000${model}`;
        const size = this.sizes.get(sizeKey);
        if (size !== undefined && size !== p) return false;
        this.sizes.set(sizeKey, p);
        this.runParams.push(p);
      }
      this.prev = [fam, model, seed, metric];
      this.prevRun = id;
    }
    if (this.runParams[id] !== p) return false;
    if (n === this.runOf.length) {
      const b = new Int32Array(n * 2);
      b.set(this.runOf);
      this.runOf = b;
    }
    this.runOf[n] = id;
    return true;
  }

  /** The rows so far, as they are (the arrays have room for more). */
  rows(): Rows {
    const num = this.num;
    return {
      n: this.n,
      params: num.params.a,
      tokens: num.tokens.a,
      flops: num.flops.a,
      value: num.value.a,
      step: num.step.a,
      unique: num.unique.a,
      extra: this.extra.map((x) => x.a),
      family: this.family.part(),
      model: this.model.part(),
      metric: this.metric.part(),
      seed: this.seed.part(),
      optional: this.optional,
      seen: [...this.seen],
      maxP: this.maxP,
      maxT: this.maxT,
      runOf: this.runOf,
      runIds: this.runIds,
      runParams: this.runParams,
      sizes: this.sizes,
    };
  }
}

/** A text column as codes into its distinct strings, or one constant string on every row. */
export interface Codes {
  readonly codes: Int32Array;
  readonly distinct: string[];
  readonly constant: string | undefined;
}

/** A text column as codes, or (made while a worker reads on, plain-parallel.ts) as its strings. */
export type Text = Codes | string[];

/**
 * What a {@link RowBuilder} holds after its rows: what {@link tableOf} makes the table of, and what
 * the two halves of a big file are merged from (plain-parallel.ts). Arrays may be longer than `n`.
 */
export interface Rows {
  readonly n: number;
  readonly params: Float64Array;
  readonly tokens: Float64Array;
  readonly flops: Float64Array;
  readonly value: Float64Array;
  readonly step: Float64Array;
  /** Rows only when the file has the column. */
  readonly unique: Float64Array;
  readonly extra: Float64Array[];
  readonly family: Text;
  readonly model: Text;
  readonly metric: Text;
  readonly seed: Text;
  /** One string a row for each optional text column the file has, empty arrays for the others. */
  readonly optional: { arch: string[]; dataset: string[]; source: string[] };
  /** The optional columns with a non-empty cell ("unique" for unique tokens). */
  readonly seen: string[];
  readonly maxP: number;
  readonly maxT: number;
  /** Run of each row, numbered by first appearance of its family, model, seed and metric key. */
  readonly runOf: Int32Array;
  readonly runIds: Map<string, number>;
  readonly runParams: number[];
  /** Size of each family and model. */
  readonly sizes: Map<string, number>;
}

/**
 * The table of `r`, or undefined when no row was kept, a check fails or a unit warning is due.
 * `ordered`: the checkpoints are known to be in order (checked in parts, plain-parallel.ts).
 */
export function tableOf(
  r: Rows,
  path: string,
  res: ResolvedColumns,
  ordered = false,
): RunTable | undefined {
  const n = r.n;
  if (n === 0 || r.maxP < 1e5 || r.maxT < 1e6) return undefined;
  const cut = (a: Float64Array) => a.subarray(0, n);
  const step = cut(r.step);
  const tokens = cut(r.tokens);
  if (!ordered && !checkpointsInOrder(r.runOf.subarray(0, n), r.runIds.size, step, tokens))
    return undefined;
  const seen = new Set(r.seen);
  return {
    origin: path,
    length: n,
    family: stringsOf(r.family, n),
    model: stringsOf(r.model, n),
    params: cut(r.params),
    tokens,
    flops: cut(r.flops),
    metric: stringsOf(r.metric, n),
    value: cut(r.value),
    seed: stringsOf(r.seed, n),
    step,
    ...Object.fromEntries(OPTIONAL_TEXT.filter((k) => seen.has(k)).map((k) => [k, r.optional[k]])),
    ...(seen.has("unique") ? { uniqueTokens: cut(r.unique) } : {}),
    ...(res.extra.length > 0
      ? { extra: Object.fromEntries(res.extra.map((e, i) => [e.name, cut(r.extra[i])])) }
      : {}),
    warnings: [],
  };
}

/**
 * No checkpoint of a run given twice (even with the same value: the key is the step, or tokens for
 * runs without steps) and tokens never falling as steps rise. Runs mixing rows with and without
 * steps are left to DuckDB. Rows are grouped by run with a counting sort; a run whose rows are
 * already in order (a log, run by run) is checked in one pass.
 */
function checkpointsInOrder(
  runOf: Int32Array,
  runs: number,
  step: Float64Array,
  tokens: Float64Array,
  ends?: Int32Array,
): boolean {
  const n = runOf.length;
  const start = new Int32Array(runs + 1);
  for (let i = 0; i < n; i++) start[runOf[i] + 1]++;
  for (let r = 0; r < runs; r++) start[r + 1] += start[r];
  const order = new Int32Array(n);
  const fill = start.slice(0, runs);
  for (let i = 0; i < n; i++) order[fill[runOf[i]]++] = i;
  for (let r = 0; r < runs; r++) {
    let rows = order.subarray(start[r], start[r + 1]);
    const steps = !Number.isNaN(step[rows[0]]);
    const key = steps ? step : tokens;
    let sorted = true;
    for (let k = 0; k < rows.length; k++) {
      if (Number.isNaN(step[rows[k]]) === steps) return false;
      if (k > 0 && !(key[rows[k]] > key[rows[k - 1]])) sorted = false;
    }
    if (!sorted) rows = Int32Array.from(rows).sort((a, b) => key[a] - key[b] || a - b);
    for (let k = 1; k < rows.length; k++) {
      if (!(key[rows[k]] > key[rows[k - 1]])) return false;
      if (steps && tokens[rows[k]] < tokens[rows[k - 1]]) return false;
    }
    if (ends !== undefined) {
      ends[2 * r] = rows[0];
      ends[2 * r + 1] = rows[rows.length - 1];
    }
  }
  return true;
}

/**
 * {@link tableOf}'s checkpoint check on these rows alone: the rows of each run's first and last
 * checkpoints (at 2r and 2r + 1), or undefined when the check fails.
 */
export function checkpointEnds(r: Rows): Int32Array | undefined {
  const runs = r.runIds.size;
  const ends = new Int32Array(2 * runs);
  const ok = checkpointsInOrder(r.runOf.subarray(0, r.n), runs, r.step, r.tokens, ends);
  return ok ? ends : undefined;
}

/** Space, tab, vertical tab, form feed: padding the DuckDB route would trim. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}
