import { parseWhere, type WhereNode } from "./where.js";

/**
 * `where` filters evaluated in JavaScript, for the plain-CSV reader (plain-csv.ts), so a small file
 * with a filter need not load DuckDB. DuckDB's answer is the definition: a filter is compiled only
 * when every part of it surely means here what it means there, and `undefined` sends the file to
 * the DuckDB route (which also gives every message). What is accepted:
 *
 * - the canonical columns (family, model, metric, seed, arch, dataset, source as text; params,
 *   tokens, flops, value or loss, step, unique_tokens as DOUBLE), not the file's own columns,
 *   whose types DuckDB infers;
 * - numbers of at most 15 digits, 'text', TRUE, FALSE;
 * - comparisons, + - * / and unary minus where a DOUBLE meets a DOUBLE or a number (two constants
 *   would follow DuckDB's INTEGER and DECIMAL rules), text with text (ordered by code point, as
 *   DuckDB orders UTF-8 bytes);
 * - AND, OR, NOT, IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN with SQL's NULL logic; [NOT] LIKE and ILIKE
 *   with a constant ASCII pattern;
 * - abs, floor, ceil, isfinite, isnan, isinf, lower, upper, starts_with, ends_with, contains,
 *   coalesce.
 *
 * A row whose answer could still differ (a division by zero, a result that is not finite, text that
 * is not ASCII for LIKE, lower or upper) throws {@link WhereUnsure}: the reader then declines.
 */

/** One row's canonical fields as a filter sees them; null is SQL's NULL. */
export interface WhereRow {
  family: string;
  model: string;
  metric: string;
  seed: string;
  arch: string | null;
  dataset: string | null;
  source: string | null;
  params: number;
  tokens: number;
  flops: number;
  value: number;
  step: number | null;
  unique_tokens: number | null;
}

/** Thrown for a row whose answer might not be DuckDB's. */
export class WhereUnsure extends Error {}

type Value = number | string | boolean | null;
type Eval = (row: WhereRow) => Value;
/** `number`: a number constant (INTEGER, DECIMAL or DOUBLE to DuckDB); `double`: from a column. */
type Type = "double" | "number" | "text" | "bool";
interface Part {
  readonly type: Type;
  /** No column in it: DuckDB types it by its own literal rules. */
  readonly constant: boolean;
  readonly ev: Eval;
}

const NUMBER_COLUMNS: Record<string, keyof WhereRow> = {
  params: "params",
  tokens: "tokens",
  flops: "flops",
  value: "value",
  loss: "value",
  step: "step",
  unique_tokens: "unique_tokens",
};
const TEXT_COLUMNS = ["family", "model", "metric", "seed", "arch", "dataset", "source"] as const;

/**
 * The filter as a row predicate (true keeps the row), or undefined when it is not surely
 * DuckDB's filter (see above) or does not parse.
 */
export function compileWhere(where: string): ((row: WhereRow) => boolean) | undefined {
  let tree: WhereNode;
  try {
    tree = parseWhere(where);
  } catch {
    return undefined;
  }
  const p = part(tree);
  if (p === undefined || p.type !== "bool") return undefined;
  const ev = p.ev;
  return (row) => ev(row) === true;
}

const unsure = (): never => {
  throw new WhereUnsure();
};
const isNumber = (p: Part) => p.type === "double" || p.type === "number";
/** Two parts DuckDB compares as we do: DOUBLE with a number, or text with text, not two constants. */
const comparable = (a: Part, b: Part) =>
  !(a.constant && b.constant) &&
  ((isNumber(a) && isNumber(b)) || (a.type === "text" && b.type === "text"));
function ascii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function part(n: WhereNode): Part | undefined {
  switch (n.k) {
    case "num": {
      const v = numberConstant(n.text);
      return v === undefined ? undefined : constant("number", v);
    }
    case "str":
      return constant("text", n.text.slice(1, -1).replaceAll("''", "'"));
    case "true":
    case "false":
      return constant("bool", n.k === "true");
    case "col":
      return column(n.text.toLowerCase());
    case "qcol": {
      const name = n.text.slice(1, -1);
      return name === name.toLowerCase() ? column(name) : undefined;
    }
    case "neg":
    case "pos": {
      const x = part(n.x);
      if (x === undefined || !isNumber(x)) return undefined;
      if (n.k === "pos") return x;
      const ev = x.ev;
      return { ...x, ev: (r) => negate(ev(r) as number | null) };
    }
    case "bin":
      return arithmetic(n.op, part(n.l), part(n.r));
    case "cmp": {
      const l = part(n.l);
      const r = part(n.r);
      if (l === undefined || r === undefined || !comparable(l, r)) return undefined;
      return bool(compare(n.op, l.ev, r.ev));
    }
    case "and":
    case "or": {
      const parts = n.a.map(part);
      if (parts.some((p) => p?.type !== "bool")) return undefined;
      return bool(
        logic(
          n.k,
          (parts as Part[]).map((p) => p.ev),
        ),
      );
    }
    case "not": {
      const x = part(n.x);
      if (x?.type !== "bool") return undefined;
      const ev = x.ev;
      return bool((r) => not(ev(r) as boolean | null));
    }
    case "isnull": {
      const x = part(n.x);
      if (x === undefined) return undefined;
      const ev = x.ev;
      return bool((r) => (ev(r) === null) !== n.neg);
    }
    case "in": {
      const x = part(n.x);
      const list = n.list.map(part);
      if (x === undefined || x.constant || list.some((p) => p === undefined || !comparable(x, p)))
        return undefined;
      const xe = x.ev;
      const items = (list as Part[]).map((p) => p.ev);
      return bool((r) => {
        const v = xe(r);
        if (v === null) return null;
        let unknown = false;
        for (const item of items) {
          const w = item(r);
          if (w === null) unknown = true;
          else if (w === v) return !n.neg;
        }
        return unknown ? null : n.neg;
      });
    }
    case "between": {
      const x = part(n.x);
      const lo = part(n.lo);
      const hi = part(n.hi);
      if (x === undefined || lo === undefined || hi === undefined) return undefined;
      if (!comparable(x, lo) || !comparable(x, hi)) return undefined;
      const inside = logic("and", [compare(">=", x.ev, lo.ev), compare("<=", x.ev, hi.ev)]);
      return bool(n.neg ? (r) => not(inside(r) as boolean | null) : inside);
    }
    case "like": {
      const x = part(n.x);
      const p = part(n.pattern);
      if (x?.type !== "text" || x.constant || p?.type !== "text" || !p.constant) return undefined;
      const pattern = p.ev({} as WhereRow) as string;
      if (!ascii(pattern)) return undefined;
      const re = likeRegExp(n.ci ? pattern.toLowerCase() : pattern);
      const ev = x.ev;
      return bool((r) => {
        const v = ev(r) as string | null;
        if (v === null) return null;
        if (!ascii(v)) unsure();
        return re.test(n.ci ? v.toLowerCase() : v) !== n.neg;
      });
    }
    case "call":
      return call(n.name, n.args.map(part));
  }
}

function constant(type: Type, v: Value): Part {
  return { type, constant: true, ev: () => v };
}

function bool(ev: Eval): Part {
  return { type: "bool", constant: false, ev };
}

function column(name: string): Part | undefined {
  const num = NUMBER_COLUMNS[name];
  if (num !== undefined) return { type: "double", constant: false, ev: (r) => r[num] };
  const text = TEXT_COLUMNS.find((c) => c === name);
  return text === undefined ? undefined : { type: "text", constant: false, ev: (r) => r[text] };
}

/**
 * A number as DuckDB reads it, when that is surely JavaScript's double: with an exponent a DOUBLE
 * (both round correctly; far exponents, near overflow or underflow, are left out); without, an
 * INTEGER or DECIMAL of at most 15 digits, which DuckDB turns into a DOUBLE by one correctly
 * rounded division of exact doubles (digits / 10^scale): the nearest double again.
 */
function numberConstant(text: string): number | undefined {
  const [digits, exponent] = text.toLowerCase().split("e");
  if (digits.replace(".", "").length > 15) return undefined;
  if (exponent !== undefined && Math.abs(Number(exponent)) > 290) return undefined;
  return Number(text);
}

function negate(v: number | null): number | null {
  return v === null ? null : -v;
}

function not(v: boolean | null): boolean | null {
  return v === null ? null : !v;
}

function arithmetic(op: string, l?: Part, r?: Part): Part | undefined {
  if (l === undefined || r === undefined || !isNumber(l) || !isNumber(r)) return undefined;
  if (l.constant && r.constant) return undefined;
  const a = l.ev;
  const b = r.ev;
  const f =
    op === "+"
      ? (x: number, y: number) => x + y
      : op === "-"
        ? (x: number, y: number) => x - y
        : op === "*"
          ? (x: number, y: number) => x * y
          : op === "/"
            ? (x: number, y: number) => (y === 0 ? unsure() : x / y)
            : undefined;
  if (f === undefined) return undefined;
  return {
    type: "double",
    constant: false,
    ev: (row) => {
      const x = a(row) as number | null;
      const y = b(row) as number | null;
      if (x === null || y === null) return null;
      const v = f(x, y);
      return Number.isFinite(v) ? v : unsure();
    },
  };
}

/** Text in code point order, which is the order of its UTF-8 bytes (DuckDB's). */
function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** UTF-16 units ranked so surrogates (code points past U+FFFF) sort after U+E000…U+FFFF. */
function codePointRank(u: number): number {
  return u >= 0xe000 ? u - 0x800 : u >= 0xd800 ? u + 0x2000 : u;
}

function compare(op: string, l: Eval, r: Eval): Eval {
  const test =
    op === "=" || op === "=="
      ? (c: number) => c === 0
      : op === "<>" || op === "!="
        ? (c: number) => c !== 0
        : op === "<"
          ? (c: number) => c < 0
          : op === "<="
            ? (c: number) => c <= 0
            : op === ">"
              ? (c: number) => c > 0
              : (c: number) => c >= 0;
  return (row) => {
    const a = l(row);
    const b = r(row);
    if (a === null || b === null) return null;
    if (typeof a === "number") {
      const y = b as number;
      return test(a < y ? -1 : a > y ? 1 : 0);
    }
    return test(a === b ? 0 : compareText(a as string, b as string));
  };
}

function logic(k: "and" | "or", parts: readonly Eval[]): Eval {
  const decisive = k === "or";
  return (row) => {
    let unknown = false;
    for (const p of parts) {
      const v = p(row);
      if (v === null) unknown = true;
      else if (v === decisive) return decisive;
    }
    return unknown ? null : !decisive;
  };
}

function likeRegExp(pattern: string): RegExp {
  let re = "";
  for (const c of pattern)
    re +=
      c === "%" ? "[\\s\\S]*" : c === "_" ? "[\\s\\S]" : c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
  return new RegExp(`^${re}$`);
}

function call(name: string, args: readonly (Part | undefined)[]): Part | undefined {
  if (args.some((a) => a === undefined)) return undefined;
  const a = args as Part[];
  if (a.length > 0 && a.every((p) => p.constant)) return undefined;
  const one = (type: Type) => a.length === 1 && a[0].type === type;
  const f = a.map((p) => p.ev);
  const double = (g: (x: number) => number): Part => ({
    type: "double",
    constant: false,
    ev: (r) => {
      const x = f[0](r) as number | null;
      return x === null ? null : g(x);
    },
  });
  const test = (g: (x: number) => boolean) =>
    bool((r) => {
      const x = f[0](r) as number | null;
      return x === null ? null : g(x);
    });
  switch (name) {
    case "abs":
      return one("double") ? double(Math.abs) : undefined;
    case "floor":
      return one("double") ? double(Math.floor) : undefined;
    case "ceil":
      return one("double") ? double(Math.ceil) : undefined;
    case "isfinite":
      return one("double") ? test(Number.isFinite) : undefined;
    case "isnan":
      return one("double") ? test(Number.isNaN) : undefined;
    case "isinf":
      return one("double") ? test((x) => x === Infinity || x === -Infinity) : undefined;
    case "lower":
    case "upper": {
      if (!one("text")) return undefined;
      const up = name === "upper";
      return {
        type: "text",
        constant: false,
        ev: (r) => {
          const x = f[0](r) as string | null;
          if (x === null) return null;
          if (!ascii(x)) unsure();
          return up ? x.toUpperCase() : x.toLowerCase();
        },
      };
    }
    case "starts_with":
    case "ends_with":
    case "contains": {
      if (a.length !== 2 || a[0].type !== "text" || a[1].type !== "text") return undefined;
      const has =
        name === "starts_with"
          ? (x: string, y: string) => x.startsWith(y)
          : name === "ends_with"
            ? (x: string, y: string) => x.endsWith(y)
            : (x: string, y: string) => x.includes(y);
      return bool((r) => {
        const x = f[0](r) as string | null;
        const y = f[1](r) as string | null;
        return x === null || y === null ? null : has(x, y);
      });
    }
    case "coalesce": {
      if (a.length === 0 || !a.every((p) => comparable(a[0], p) || p === a[0])) return undefined;
      const type = isNumber(a[0]) ? "double" : a[0].type;
      if (type !== "double" && type !== "text") return undefined;
      return {
        type,
        constant: false,
        ev: (r) => {
          for (const g of f) {
            const v = g(r);
            if (v !== null) return v;
          }
          return null;
        },
      };
    }
    default:
      return undefined;
  }
}
