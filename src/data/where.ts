import { InputError } from "../errors.js";

/**
 * `--where` is a row filter, not a query language. This grammar is all it accepts (keywords in any
 * case):
 *
 *   or     := and (OR and)*              and := not (AND not)*         not := NOT not | pred
 *   pred   := sum [cmp sum | [NOT] IN (sum, …) | [NOT] BETWEEN sum AND sum | IS [NOT] NULL
 *                  | [NOT] LIKE sum | [NOT] ILIKE sum]                 cmp := = == <> != < <= > >=
 *   sum    := prod ((+ | - | ||) prod)*  prod := unary ((* | / | %) unary)*
 *   unary  := (- | +) unary | atom
 *   atom   := number | 'text' | TRUE | FALSE | NULL | column | "quoted column" | FUNC(or, …) | (or)
 *
 * with FUNC one of {@link WHERE_FUNCTIONS} (pure, bounded work per row). No subqueries, casts,
 * table functions (read_text, glob, range, read_csv), statements or comments get through, whatever
 * DuckDB would make of them; the columns themselves are checked by DuckDB when it binds the filter.
 */
export const WHERE_FUNCTIONS: readonly string[] = [
  "abs",
  "ceil",
  "coalesce",
  "contains",
  "ends_with",
  "exp",
  "floor",
  "greatest",
  "isfinite",
  "isinf",
  "isnan",
  "least",
  "length",
  "ln",
  "log",
  "log10",
  "log2",
  "lower",
  "nullif",
  "pow",
  "power",
  "round",
  "sqrt",
  "starts_with",
  "trim",
  "upper",
];

/** Longest filter and deepest nesting accepted (a filter is a line, not a program). */
const MAX_LENGTH = 4096;
const MAX_DEPTH = 64;

type Kind = "num" | "str" | "ident" | "qident" | "op" | "end";
interface Token {
  readonly kind: Kind;
  readonly text: string;
  readonly at: number;
}

const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "in",
  "between",
  "is",
  "null",
  "like",
  "ilike",
  "true",
  "false",
]);
const OPERATORS = [
  "<=",
  ">=",
  "<>",
  "!=",
  "==",
  "||",
  "=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "(",
  ")",
  ",",
];

/** A parsed filter: what {@link parseWhere} builds and where-eval.ts evaluates. */
export type WhereNode =
  | { readonly k: "or" | "and"; readonly a: readonly WhereNode[] }
  | { readonly k: "not" | "neg" | "pos"; readonly x: WhereNode }
  | { readonly k: "cmp" | "bin"; readonly op: string; readonly l: WhereNode; readonly r: WhereNode }
  | {
      readonly k: "in";
      readonly x: WhereNode;
      readonly list: readonly WhereNode[];
      readonly neg: boolean;
    }
  | {
      readonly k: "between";
      readonly x: WhereNode;
      readonly lo: WhereNode;
      readonly hi: WhereNode;
      readonly neg: boolean;
    }
  | { readonly k: "isnull"; readonly x: WhereNode; readonly neg: boolean }
  | {
      readonly k: "like";
      readonly x: WhereNode;
      readonly pattern: WhereNode;
      readonly neg: boolean;
      readonly ci: boolean;
    }
  | { readonly k: "num" | "str" | "col" | "qcol"; readonly text: string }
  | { readonly k: "true" | "false" | "null" }
  | { readonly k: "call"; readonly name: string; readonly args: readonly WhereNode[] };

/**
 * Checks that `where` is a filter in the grammar above.
 * @param columns the columns it may name, for the hint
 * @throws InputError naming --where and the first character that does not fit
 */
export function validateWhere(where: string, columns: readonly string[] = []): void {
  parseWhere(where, columns);
}

/**
 * The columns a parsed filter names, lower case and unquoted (DuckDB matches names regardless of
 * case, quoted or not).
 */
export function whereColumns(node: WhereNode): Set<string> {
  const out = new Set<string>();
  const walk = (n: WhereNode): void => {
    switch (n.k) {
      case "col":
        out.add(n.text.toLowerCase());
        return;
      case "qcol":
        out.add(n.text.slice(1, -1).replaceAll('""', '"').toLowerCase());
        return;
      case "or":
      case "and":
        n.a.forEach(walk);
        return;
      case "not":
      case "neg":
      case "pos":
      case "isnull":
        walk(n.x);
        return;
      case "cmp":
      case "bin":
        walk(n.l);
        walk(n.r);
        return;
      case "in":
        walk(n.x);
        n.list.forEach(walk);
        return;
      case "between":
        walk(n.x);
        walk(n.lo);
        walk(n.hi);
        return;
      case "like":
        walk(n.x);
        walk(n.pattern);
        return;
      case "call":
        n.args.forEach(walk);
        return;
    }
  };
  walk(node);
  return out;
}

/**
 * Parses `where` in the grammar above. Quoted text and columns keep their quotes doubled inside
 * (`text` is the source); keywords and function names are lower case.
 * @param columns the columns it may name, for the hint
 * @throws InputError naming --where and the first character that does not fit
 */
export function parseWhere(where: string, columns: readonly string[] = []): WhereNode {
  const fail = (reason: string, at?: number): never => {
    throw new InputError(
      `cannot use \`where\` "${where.length > 200 ? `${where.slice(0, 200)}…` : where}": ${reason}${at === undefined ? "" : ` at character ${at + 1}`}`,
      {
        field: "where",
        hint: `write one condition over ${columns.length ? columns.join(", ") : "the columns"} using comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL, LIKE and functions such as abs, log10, lower; e.g. \`where\` "loss < 4 AND params >= 1e8"`,
      },
    );
  };
  if (where.length > MAX_LENGTH) fail(`longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(where, fail);
  let i = 0;
  let depth = 0;
  const peek = () => tokens[i];
  const isKw = (t: Token, kw: string) => t.kind === "ident" && t.text.toLowerCase() === kw;
  const isOp = (t: Token, op: string) => t.kind === "op" && t.text === op;
  const describe = (t: Token) => (t.kind === "end" ? "the end" : `"${t.text}"`);
  const expectOp = (op: string) => {
    if (!isOp(peek(), op)) fail(`expected "${op}", found ${describe(peek())}`, peek().at);
    i++;
  };
  const nest = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`, peek().at);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const chain = (k: "or" | "and", next: () => WhereNode): WhereNode => {
    const a = [next()];
    while (isKw(peek(), k)) {
      i++;
      a.push(next());
    }
    return a.length === 1 ? a[0] : { k, a };
  };

  const or = (): WhereNode => nest(() => chain("or", and));
  const and = (): WhereNode => chain("and", not);
  const not = (): WhereNode =>
    nest(() => {
      if (isKw(peek(), "not")) {
        i++;
        return { k: "not", x: not() };
      }
      return pred();
    });
  const pred = (): WhereNode => {
    const x = sum();
    const t = peek();
    if (t.kind === "op" && ["=", "==", "<>", "!=", "<", "<=", ">", ">="].includes(t.text)) {
      i++;
      return { k: "cmp", op: t.text, l: x, r: sum() };
    }
    if (isKw(t, "is")) {
      i++;
      const neg = isKw(peek(), "not");
      if (neg) i++;
      if (!isKw(peek(), "null"))
        fail(`expected NULL after IS, found ${describe(peek())}`, peek().at);
      i++;
      return { k: "isnull", x, neg };
    }
    const neg = isKw(t, "not");
    if (neg) i++;
    const u = peek();
    if (isKw(u, "in")) {
      i++;
      expectOp("(");
      const list = [sum()];
      while (isOp(peek(), ",")) {
        i++;
        list.push(sum());
      }
      expectOp(")");
      return { k: "in", x, list, neg };
    }
    if (isKw(u, "between")) {
      i++;
      const lo = sum();
      if (!isKw(peek(), "and"))
        fail(`expected AND in BETWEEN, found ${describe(peek())}`, peek().at);
      i++;
      return { k: "between", x, lo, hi: sum(), neg };
    }
    if (isKw(u, "like") || isKw(u, "ilike")) {
      i++;
      return { k: "like", x, pattern: sum(), neg, ci: isKw(u, "ilike") };
    }
    if (neg) fail(`expected IN, BETWEEN or LIKE after NOT, found ${describe(u)}`, u.at);
    return x;
  };
  const binary = (ops: readonly string[], next: () => WhereNode) => (): WhereNode => {
    let l = next();
    for (let t = peek(); t.kind === "op" && ops.includes(t.text); t = peek()) {
      i++;
      l = { k: "bin", op: t.text, l, r: next() };
    }
    return l;
  };
  const unary = (): WhereNode =>
    nest(() => {
      const t = peek();
      if (isOp(t, "-") || isOp(t, "+")) {
        i++;
        return { k: t.text === "-" ? "neg" : "pos", x: unary() };
      }
      return atom();
    });
  const prod = binary(["*", "/", "%"], unary);
  const sum = binary(["+", "-", "||"], prod);
  const atom = (): WhereNode => {
    const t = peek();
    if (t.kind === "num" || t.kind === "str" || t.kind === "qident") {
      i++;
      return { k: t.kind === "qident" ? "qcol" : t.kind, text: t.text };
    }
    if (isOp(t, "(")) {
      i++;
      const x = or();
      expectOp(")");
      return x;
    }
    if (t.kind === "ident") {
      const word = t.text.toLowerCase();
      if (word === "true" || word === "false" || word === "null") {
        i++;
        return { k: word };
      }
      if (KEYWORDS.has(word)) fail(`unexpected ${t.text.toUpperCase()}`, t.at);
      i++;
      if (!isOp(peek(), "(")) return { k: "col", text: t.text };
      if (!WHERE_FUNCTIONS.includes(word))
        fail(`function ${t.text}() is not allowed in a filter`, t.at);
      i++;
      const args: WhereNode[] = [];
      if (!isOp(peek(), ")")) {
        args.push(or());
        while (isOp(peek(), ",")) {
          i++;
          args.push(or());
        }
      }
      expectOp(")");
      return { k: "call", name: word, args };
    }
    return fail(`expected a column, number or 'text', found ${describe(t)}`, t.at);
  };

  if (tokens.length === 1) fail("empty condition");
  const tree = or();
  if (peek().kind !== "end") fail(`unexpected ${describe(peek())}`, peek().at);
  return tree;
}

function tokenize(s: string, fail: (reason: string, at?: number) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    // DuckDB would read these as comments and see another expression than we checked.
    if (s.startsWith("--", i) || s.startsWith("/*", i)) fail("comments are not allowed", i);
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(s.slice(i));
      if (!m) fail(`unexpected "${c}"`, i);
      i += (m as RegExpExecArray)[0].length;
      if (/[A-Za-z_0-9.]/.test(s[i] ?? "")) fail("malformed number", start);
      out.push({ kind: "num", text: s.slice(start, i), at: start });
    } else if (c === "'" || c === '"') {
      i++;
      for (;;) {
        if (i >= s.length)
          fail(c === "'" ? "unterminated 'text'" : 'unterminated "quoted column"', start);
        if (s[i] === c) {
          if (s[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
      out.push({ kind: c === "'" ? "str" : "qident", text: s.slice(start, i), at: start });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < s.length && /[A-Za-z0-9_]/.test(s[i])) i++;
      out.push({ kind: "ident", text: s.slice(start, i), at: start });
    } else {
      const op = OPERATORS.find((o) => s.startsWith(o, i));
      if (!op) fail(`unexpected "${c}"`, i);
      i += (op as string).length;
      out.push({ kind: "op", text: op as string, at: start });
    }
  }
  out.push({ kind: "end", text: "", at: s.length });
  return out;
}
