import { readFileSync, statSync } from "node:fs";
import { InputError } from "../errors.js";
import { type ResolvedColumns, resolveColumns } from "./columns.js";
import { detectFormat } from "./formats.js";
import { readHeader } from "./source.js";
import type { LoadOptions } from "./stage.js";
import type { RunTable } from "./types.js";

/** Delimited files up to this size may be read in JavaScript, without loading DuckDB. */
export const PLAIN_LIMIT_BYTES = 8 * 2 ** 20;

/**
 * Reads a small, clean CSV or TSV file into the canonical table in JavaScript, so a command on a
 * few hundred rows never loads DuckDB (≈ 0.1 s of a 0.25 s process). It returns exactly what the
 * DuckDB route (`stageFile` + `fetchTable`) returns for such a file, and `undefined` for anything
 * it is not certain of: quotes, CR line ends, blank or ragged lines, empty or unreadable cells,
 * padded cells, a `where` filter, any problem the checks would report, any unit warning. The
 * DuckDB route then reads the file and gives its messages, so there is one source of errors.
 */
export function readPlainCsv(path: string, o: LoadOptions): RunTable | undefined {
  if (o.where !== undefined && o.where.trim() !== "") return undefined;
  const format = detectFormat(path, o.format);
  if (format !== "csv" && format !== "tsv") return undefined;
  if (statSync(path).size > PLAIN_LIMIT_BYTES) return undefined;
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  if (/["\r\uFFFD]/.test(text)) return undefined;
  const delim = format === "tsv" ? "\t" : ",";
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length < 2 || lines[0].trim() === "") return undefined;
  let header: string[];
  let res: ResolvedColumns;
  try {
    header = readHeader(path, delim);
    res = resolveColumns(header, o, path);
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
  const rows = lines.length - 1;
  const cells: string[][] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    if (lines[r + 1].trim() === "") return undefined;
    const c = lines[r + 1].split(delim);
    if (c.length !== header.length) return undefined;
    for (const s of c) if (s !== s.trim() || (s !== "" && s.trim() === "")) return undefined;
    cells[r] = c;
  }
  return canonical(path, header, cells, res, o);
}

/** Column index of a canonical field, -1 when the file has none. */
type Cols = Record<
  "family" | "model" | "params" | "tokens" | "flops" | "step" | "metric" | "value" | "seed",
  number
> &
  Record<"arch" | "dataset" | "source" | "unique_tokens", number>;

/**
 * The canonical rows of parsed cells (as `canonSelect` derives them), checked as `cellProblems`,
 * `rowProblems` and `unitWarnings` would check them; `undefined` at the first doubt.
 */
function canonical(
  path: string,
  header: readonly string[],
  cells: readonly string[][],
  res: ResolvedColumns,
  o: LoadOptions,
): RunTable | undefined {
  const c = res.columns;
  const at = (f: keyof Cols) => (c[f] === undefined ? -1 : header.indexOf(c[f]));
  const col: Cols = {
    family: at("family"),
    model: at("model"),
    params: at("params"),
    tokens: at("tokens"),
    flops: at("flops"),
    step: at("step"),
    metric: at("metric"),
    value: at("value"),
    seed: at("seed"),
    arch: at("arch"),
    dataset: at("dataset"),
    source: at("source"),
    unique_tokens: at("unique_tokens"),
  };
  const extraCols = res.extra.map((e) => header.indexOf(e.column));
  const keep = res.kind === "long" && res.metricFilter !== undefined ? res.metricFilter : undefined;
  const tokensPerStep = Number(o.tokensPerStep ?? Number.NaN);

  const n0 = cells.length;
  const family: string[] = [];
  const model: string[] = [];
  const metric: string[] = [];
  const seed: string[] = [];
  const texts = { arch: [] as string[], dataset: [] as string[], source: [] as string[] };
  const seen = new Set<string>();
  const num = {
    params: new Float64Array(n0),
    tokens: new Float64Array(n0),
    flops: new Float64Array(n0),
    value: new Float64Array(n0),
    step: new Float64Array(n0),
    unique: new Float64Array(n0),
  };
  const extra = extraCols.map(() => new Float64Array(n0));
  let n = 0;
  let maxP = -Infinity;
  let maxT = -Infinity;
  for (const row of cells) {
    const m = res.kind === "long" ? row[col.metric] : (res.metricName ?? "loss");
    if (m === "") return undefined;
    if (keep !== undefined && m !== keep) continue;
    // Optional numbers: absent (NaN) when the column or the cell is empty, otherwise readable.
    const opt = (j: number): number | undefined => {
      if (j < 0 || row[j] === "") return Number.NaN;
      const v = cellNumber(row[j]);
      return Number.isNaN(v) ? undefined : v;
    };
    const p = cellNumber(col.params < 0 ? "" : row[col.params]);
    const v = cellNumber(col.value < 0 ? "" : row[col.value]);
    const tk = opt(col.tokens);
    const fl = opt(col.flops);
    const st = opt(col.step);
    const u = opt(col.unique_tokens);
    if (tk === undefined || fl === undefined || st === undefined || u === undefined)
      return undefined;
    const tokens =
      res.tokensFrom === "tokens"
        ? tk
        : res.tokensFrom === "flops"
          ? fl / (6 * p)
          : st * tokensPerStep;
    const flops = Number.isNaN(fl) ? 6 * p * tokens : fl;
    // Required values present, every number positive and finite, steps not negative.
    if (!(p > 0 && v > 0 && tokens > 0 && flops > 0)) return undefined;
    if (!Number.isFinite(tokens) || !Number.isFinite(flops)) return undefined;
    if (!Number.isNaN(st) && st < 0) return undefined;
    if (!Number.isNaN(u) && !(u > 0 && u <= tokens)) return undefined;
    for (let e = 0; e < extraCols.length; e++) {
      const x = opt(extraCols[e]);
      if (x === undefined) return undefined;
      extra[e][n] = x;
    }
    let name: string;
    if (col.model >= 0) {
      name = row[col.model];
      if (name === "") return undefined;
    } else if (col.step >= 0) name = `N=${duckDouble(p)}`;
    else {
      name = `N=${duckDouble(p)} D=${duckDouble(tokens)}`;
      if (col.unique_tokens >= 0 && !Number.isNaN(u)) name += ` U=${duckDouble(u)}`;
    }
    const fam =
      o.setFamily ??
      (col.family >= 0 && row[col.family] !== "" ? row[col.family] : (o.defaultFamily ?? ""));
    family.push(fam);
    model.push(name);
    metric.push(m);
    seed.push(col.seed >= 0 && row[col.seed] !== "" ? row[col.seed] : "0");
    for (const k of ["arch", "dataset", "source"] as const) {
      const t = col[k] >= 0 ? row[col[k]] : "";
      if (t !== "") seen.add(k);
      texts[k].push(t);
    }
    if (!Number.isNaN(u)) seen.add("unique");
    num.params[n] = p;
    num.tokens[n] = tokens;
    num.flops[n] = flops;
    num.value[n] = v;
    num.step[n] = st;
    num.unique[n] = u;
    if (p > maxP) maxP = p;
    if (tokens > maxT) maxT = tokens;
    n++;
  }
  // No rows kept, or a unit warning due: the DuckDB route says so.
  if (n === 0 || maxP < 1e5 || maxT < 1e6) return undefined;
  const cut = (a: Float64Array) => a.subarray(0, n);
  if (!consistent(family, model, seed, metric, cut(num.params), cut(num.tokens), cut(num.step)))
    return undefined;
  return {
    origin: path,
    length: n,
    family,
    model,
    params: cut(num.params),
    tokens: cut(num.tokens),
    flops: cut(num.flops),
    metric,
    value: cut(num.value),
    seed,
    step: cut(num.step),
    ...Object.fromEntries(
      (["arch", "dataset", "source"] as const).filter((k) => seen.has(k)).map((k) => [k, texts[k]]),
    ),
    ...(seen.has("unique") ? { uniqueTokens: cut(num.unique) } : {}),
    ...(res.extra.length > 0
      ? { extra: Object.fromEntries(res.extra.map((e, i) => [e.name, cut(extra[i])])) }
      : {}),
    warnings: [],
  };
}

/**
 * One size per model, no checkpoint given twice (even with the same value), and tokens never
 * falling as steps rise within a run and metric: the row checks, as a yes/no.
 */
function consistent(
  family: readonly string[],
  model: readonly string[],
  seed: readonly string[],
  metric: readonly string[],
  params: Float64Array,
  tokens: Float64Array,
  step: Float64Array,
): boolean {
  const size = new Map<string, number>();
  const checkpoints = new Set<string>();
  const series = new Map<string, number[]>();
  for (let i = 0; i < params.length; i++) {
    const fm = `${family[i]}\u0000${model[i]}`;
    const p0 = size.get(fm);
    if (p0 === undefined) size.set(fm, params[i]);
    else if (p0 !== params[i]) return false;
    const run = `${fm}\u0000${seed[i]}\u0000${metric[i]}`;
    const key = `${run}\u0000${Number.isNaN(step[i]) ? `t${tokens[i]}` : `s${step[i]}`}`;
    if (checkpoints.has(key)) return false;
    checkpoints.add(key);
    if (!Number.isNaN(step[i])) {
      const rows = series.get(run);
      if (rows) rows.push(i);
      else series.set(run, [i]);
    }
  }
  for (const rows of series.values()) {
    rows.sort((a, b) => step[a] - step[b]);
    for (let k = 1; k < rows.length; k++) if (tokens[rows[k]] < tokens[rows[k - 1]]) return false;
  }
  return true;
}

// Narrower than the SQL macros on purpose (no "1.", no space before a suffix): whatever these
// accept, DuckDB reads to the same double; the rest goes to DuckDB.
const PLAIN = /^[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const SUFFIX = /^([-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)([kKmMbBgGtTpP])$/;
const MULTIPLIER: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12, P: 1e15 };

/**
 * A cell as the SQL macro `sl_num` reads it (plain or scientific notation, or a size suffix), NaN
 * for an empty cell or anything else (underscores, `inf`, hex), which the DuckDB route judges.
 */
function cellNumber(s: string): number {
  if (PLAIN.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : Number.NaN;
  }
  const m = SUFFIX.exec(s);
  if (!m) return Number.NaN;
  const v = Number(m[1]) * MULTIPLIER[m[2].toUpperCase()];
  return Number.isFinite(v) ? v : Number.NaN;
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
