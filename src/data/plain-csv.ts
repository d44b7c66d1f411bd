import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { InputError } from "../errors.js";
import { type Field, type ResolvedColumns, resolveColumns } from "./columns.js";
import { detectFormat } from "./formats.js";
import { readHeader } from "./source.js";
import type { LoadOptions } from "./stage.js";
import type { RunTable } from "./types.js";

/**
 * Reads a clean CSV or TSV file into the canonical table in JavaScript: one pass over the bytes,
 * numbers straight into typed arrays, each distinct text decoded once. A command on a few hundred
 * rows then never loads DuckDB, and a 2M-row log is read in well under a second.
 *
 * It returns exactly what the DuckDB route (`stageFile` + `fetchTable`) returns for such a file, and
 * `undefined` for anything it is not certain of: quotes, CR line ends, blank or ragged lines, bytes
 * that are not UTF-8, padded or unreadable cells, empty required cells, a `where` filter, any
 * problem the row checks would report, any unit warning. The DuckDB route then reads the file and
 * gives its messages, so every message still has one source.
 */
export function readPlainCsv(
  path: string,
  o: LoadOptions,
  chunkBytes = 1 << 23,
): RunTable | undefined {
  if (o.where !== undefined && o.where.trim() !== "") return undefined;
  // One plain file as named: patterns, standard input, pipes, compressed files and manifests (or
  // values fixed from outside the file) are the DuckDB route's.
  if (o.manifest !== undefined || o.fixed !== undefined) return undefined;
  let format: string;
  try {
    if (!statSync(path).isFile()) return undefined;
    format = detectFormat(path, o.format);
  } catch {
    return undefined;
  }
  if (format !== "csv" && format !== "tsv") return undefined;
  const delim = format === "tsv" ? 9 : 44;
  let header: string[];
  let res: ResolvedColumns;
  try {
    header = readHeader(path, format === "tsv" ? "\t" : ",");
    res = resolveColumns(header, o, path);
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
  const rows = new RowBuilder(header, res, o);
  const fd = openSync(path, "r");
  try {
    return scan(fd, header.length, delim, rows, chunkBytes) ? rows.finish(path) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Feeds each record (after the header) to `rows`; false at the first thing it declines. */
function scan(
  fd: number,
  width: number,
  delim: number,
  rows: RowBuilder,
  chunkBytes: number,
): boolean {
  let buf = Buffer.allocUnsafe(chunkBytes);
  let have = 0;
  let first = true;
  let header = true;
  const starts = new Int32Array(width + 1);
  for (;;) {
    if (have === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
    }
    const got = readSync(fd, buf, have, buf.length - have, null);
    const end = have + got;
    const eof = got === 0;
    let at = 0;
    if (first) {
      if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) at = 3;
      first = false;
      // Room for the rows at the first chunk's bytes per line, so the columns rarely grow.
      let lines = 0;
      for (let i = buf.indexOf(10, at); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) lines++;
      if (lines > 1) rows.reserve(Math.ceil((fstatSync(fd).size / end) * lines * 1.05));
    }
    // Complete lines only; at end of file the last line may lack its newline.
    let last = end > 0 ? buf.lastIndexOf(10, end - 1) : -1;
    if (eof) last = end;
    if (last >= at) {
      let ascii = true;
      for (let i = at; i < last; i++) {
        const c = buf[i];
        if (c === 34 || c === 13 || c === 0) return false;
        if (c >= 128) ascii = false;
      }
      if (!ascii && !isUtf8(buf.subarray(at, last))) return false;
      while (at < last) {
        let nl = buf.indexOf(10, at);
        if (nl < 0 || nl > last) nl = last;
        if (header) {
          // The header is the first line (readHeader has parsed it); blank first lines go to DuckDB.
          if (nl === at || isBlank(buf[at])) return false;
          header = false;
        } else {
          let k = 0;
          starts[0] = at;
          for (let i = at; i < nl; i++) {
            if (buf[i] === delim) {
              if (++k >= width) return false;
              starts[k] = i + 1;
            }
          }
          if (k !== width - 1) return false;
          starts[width] = nl + 1;
          if (!rows.add(buf, starts)) return false;
        }
        at = nl + 1;
      }
    }
    if (eof) return !header;
    have = end - Math.min(at, end);
    buf.copy(buf, 0, end - have, end);
  }
}

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
 * Canonical rows from cells, derived as `canonSelect` derives them, with the checks of
 * `cellProblems`, `rowProblems` and `unitWarnings` as yes/no (`add` or `finish` says no).
 */
class RowBuilder {
  private n = 0;
  private readonly col: Record<Field, number>;
  private readonly text: Partial<Record<Field, TextColumn>> = {};
  private readonly extraCols: number[];
  private readonly keep: string | undefined;
  private readonly tokensPerStep: number;
  readonly family: string[] = [];
  readonly model: string[] = [];
  readonly metric: string[] = [];
  readonly seed: string[] = [];
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
  private prev: string[] = ["", "", "", ""];
  private prevRun = -1;
  private lastP = Number.NaN;
  private lastName = "";

  constructor(
    header: readonly string[],
    private readonly res: ResolvedColumns,
    private readonly o: LoadOptions,
  ) {
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
  }

  /** Makes room for `rows` rows. */
  reserve(rows: number): void {
    if (rows <= this.num.params.a.length) return;
    for (const x of Object.values(this.num)) x.grow(rows);
    for (const x of this.extra) x.grow(rows);
    const runOf = new Int32Array(rows);
    runOf.set(this.runOf.subarray(0, Math.min(rows, this.runOf.length)));
    this.runOf = runOf;
  }

  /** The text of a column's cell ("" when the column is absent or the cell empty); null if padded. */
  private cellText(f: Field, buf: Buffer, starts: Int32Array): string | null {
    const j = this.col[f];
    if (j < 0) return "";
    const s = starts[j];
    const e = starts[j + 1] - 1;
    if (s === e) return "";
    if (isBlank(buf[s]) || isBlank(buf[e - 1])) return null;
    return (this.text[f] as TextColumn).read(buf, s, e);
  }

  /** A number cell: NaN when the column is absent or the cell empty, undefined if unreadable. */
  private cellNumber(j: number, buf: Buffer, starts: Int32Array): number | undefined {
    if (j < 0) return Number.NaN;
    const s = starts[j];
    const e = starts[j + 1] - 1;
    if (s === e) return Number.NaN;
    return parseNumber(buf, s, e);
  }

  add(buf: Buffer, starts: Int32Array): boolean {
    const c = this.col;
    const res = this.res;
    const m =
      res.kind === "long" ? this.cellText("metric", buf, starts) : (res.metricName ?? "loss");
    if (m === null || m === "") return false;
    if (this.keep !== undefined && m !== this.keep) return true;
    const p = this.cellNumber(c.params, buf, starts);
    const v = this.cellNumber(c.value, buf, starts);
    const tk = this.cellNumber(c.tokens, buf, starts);
    const fl = this.cellNumber(c.flops, buf, starts);
    const st = this.cellNumber(c.step, buf, starts);
    const u = this.cellNumber(c.unique_tokens, buf, starts);
    if (p === undefined || v === undefined || tk === undefined) return false;
    if (fl === undefined || st === undefined || u === undefined) return false;
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
      for (const x of Object.values(this.num)) x.grow();
      for (const x of this.extra) x.grow();
    }
    for (let e = 0; e < this.extraCols.length; e++) {
      const x = this.cellNumber(this.extraCols[e], buf, starts);
      if (x === undefined) return false;
      this.extra[e].a[n] = x;
    }
    let name: string | null;
    if (c.model >= 0) {
      name = this.cellText("model", buf, starts);
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
    const famCell = this.o.setFamily === undefined ? this.cellText("family", buf, starts) : "";
    const seedCell = this.cellText("seed", buf, starts);
    if (famCell === null || seedCell === null) return false;
    const fam = this.o.setFamily ?? (famCell !== "" ? famCell : (this.o.defaultFamily ?? ""));
    const seed = seedCell !== "" ? seedCell : "0";
    for (const k of OPTIONAL_TEXT) {
      if (c[k] < 0) continue;
      const t = this.cellText(k, buf, starts);
      if (t === null) return false;
      if (t !== "") this.seen.add(k);
      this.optional[k].push(t);
    }
    if (!this.run(n, fam, name, seed, m, p)) return false;
    this.family.push(fam);
    this.model.push(name);
    this.metric.push(m);
    this.seed.push(seed);
    if (!Number.isNaN(u)) this.seen.add("unique");
    const num = this.num;
    num.params.a[n] = p;
    num.tokens.a[n] = tokens;
    num.flops.a[n] = flops;
    num.value.a[n] = v;
    num.step.a[n] = st;
    num.unique.a[n] = u;
    if (p > this.maxP) this.maxP = p;
    if (tokens > this.maxT) this.maxT = tokens;
    this.n++;
    return true;
  }

  /** Numbers row n's run; false when its model was seen with another size. */
  private run(n: number, fam: string, model: string, seed: string, metric: string, p: number) {
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

  private readonly sizes = new Map<string, number>();

  /** The table, or undefined when no row was kept, a check fails or a unit warning is due. */
  finish(path: string): RunTable | undefined {
    const n = this.n;
    if (n === 0 || this.maxP < 1e5 || this.maxT < 1e6) return undefined;
    const cut = (x: Numbers) => x.a.subarray(0, n);
    const step = cut(this.num.step);
    const tokens = cut(this.num.tokens);
    if (!checkpointsInOrder(this.runOf.subarray(0, n), this.runIds.size, step, tokens))
      return undefined;
    return {
      origin: path,
      length: n,
      family: this.family,
      model: this.model,
      params: cut(this.num.params),
      tokens,
      flops: cut(this.num.flops),
      metric: this.metric,
      value: cut(this.num.value),
      seed: this.seed,
      step,
      ...Object.fromEntries(
        OPTIONAL_TEXT.filter((k) => this.seen.has(k)).map((k) => [k, this.optional[k]]),
      ),
      ...(this.seen.has("unique") ? { uniqueTokens: cut(this.num.unique) } : {}),
      ...(this.res.extra.length > 0
        ? {
            extra: Object.fromEntries(this.res.extra.map((e, i) => [e.name, cut(this.extra[i])])),
          }
        : {}),
      warnings: [],
    };
  }
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
  }
  return true;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MULTIPLIER: Record<number, number> = {
  75: 1e3,
  77: 1e6,
  66: 1e9,
  71: 1e9,
  84: 1e12,
  80: 1e15,
};

/**
 * A cell as the SQL macro `sl_num` reads it: plain or scientific notation, or a size suffix (`125M`),
 * finite. Narrower than the macro on purpose (no `1.`, no space before a suffix, no `_`): whatever
 * this accepts, DuckDB reads to the same double; `undefined` sends the rest to DuckDB. Up to 15
 * digits and |10-exponent| ≤ 22, one exact IEEE operation gives the correctly rounded value
 * (Clinger's fast path), as DuckDB's parser does; longer numbers go through `Number`.
 */
export function parseNumber(buf: Buffer, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  if (buf[i] === 45 || buf[i] === 43) neg = buf[i++] === 45;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  const intStart = i;
  while (i < e && buf[i] >= 48 && buf[i] <= 57) {
    mant = mant * 10 + (buf[i++] - 48);
    digits++;
  }
  const intDigits = i - intStart;
  if (i < e && buf[i] === 46) {
    i++;
    const fracStart = i;
    while (i < e && buf[i] >= 48 && buf[i] <= 57) {
      mant = mant * 10 + (buf[i++] - 48);
      digits++;
    }
    if (i === fracStart) return undefined;
    scale = fracStart - i;
  }
  if (intDigits === 0 && scale === 0) return undefined;
  let exp = 0;
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (buf[i] === 45 || buf[i] === 43)) eneg = buf[i++] === 45;
    const expStart = i;
    while (i < e && buf[i] >= 48 && buf[i] <= 57 && i - expStart < 6)
      exp = exp * 10 + (buf[i++] - 48);
    if (i === expStart) return undefined;
    if (eneg) exp = -exp;
  }
  const numEnd = i;
  let mult = 1;
  if (i < e) {
    const m = MULTIPLIER[buf[i] & 0xdf];
    if (m === undefined || i + 1 !== e) return undefined;
    mult = m;
  }
  const p10 = exp + scale;
  let v: number;
  if (digits <= 15 && p10 >= -22 && p10 <= 22) {
    v = p10 < 0 ? mant / POW10[-p10] : mant * POW10[p10];
    if (neg) v = -v;
  } else v = Number(buf.toString("latin1", s, numEnd));
  v *= mult;
  return Number.isFinite(v) ? v : undefined;
}

/**
 * A positive double as DuckDB's `CAST(x AS VARCHAR)` writes it (run names such as `N=1.3e9`):
 * the shortest round-trip digits, fixed notation with at least one decimal for exponents −4 … 15,
 * else `d.ddde+XX`.
 * @example duckDouble(1e8) // → "100000000.0"; duckDouble(1e16) // → "1e+16"
 */
export function duckDouble(v: number): string {
  const [mant, exp] = v.toExponential().split("e");
  const e = Number(exp);
  const digits = mant.replace(".", "");
  if (e < -4 || e >= 16)
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  if (e < 0) return `0.${"0".repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, "0");
  return `${int}.${digits.slice(e + 1) || "0"}`;
}
