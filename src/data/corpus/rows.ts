import type { RunTable } from "../types.js";

/** One canonical row as an adapter sees it; `flops` defaults to 6·N·D, `seed` to "0", `step` to NaN. */
export interface RunRow {
  family: string;
  model: string;
  params: number;
  tokens: number;
  flops?: number;
  metric: string;
  value: number;
  seed?: string;
  step?: number;
  arch?: string;
  dataset?: string;
  /** Where the row comes from; defaults to the builder's source. */
  source?: string;
  /** Unique tokens in the training data (data-constrained runs); NaN where not applicable. */
  uniqueTokens?: number;
  /** 1-based line in the source file, for error messages. */
  line?: number;
}

/**
 * Collects rows one at a time and returns the columnar run table. Adapters read row-shaped files,
 * so building rows and converting once keeps each adapter a plain loop.
 */
export class RunTableBuilder {
  private readonly rows: RunRow[] = [];

  /** @param origin the table's origin (`corpus:NAME`) @param source the `source` of rows that name none */
  constructor(
    private readonly origin: string,
    private readonly source: string,
  ) {}

  push(row: RunRow): void {
    this.rows.push(row);
  }

  get length(): number {
    return this.rows.length;
  }

  build(): RunTable {
    const r = this.rows;
    const n = r.length;
    const f64 = (get: (x: RunRow) => number) => Float64Array.from(r, get);
    const hasUnique = r.some((x) => x.uniqueTokens !== undefined);
    const hasLine = r.some((x) => x.line !== undefined);
    return {
      origin: this.origin,
      length: n,
      family: r.map((x) => x.family),
      model: r.map((x) => x.model),
      params: f64((x) => x.params),
      tokens: f64((x) => x.tokens),
      flops: f64((x) => x.flops ?? 6 * x.params * x.tokens),
      metric: r.map((x) => x.metric),
      value: f64((x) => x.value),
      seed: r.map((x) => x.seed ?? "0"),
      step: f64((x) => x.step ?? Number.NaN),
      arch: r.map((x) => x.arch ?? ""),
      dataset: r.map((x) => x.dataset ?? ""),
      source: r.map((x) => x.source ?? this.source),
      ...(hasUnique ? { uniqueTokens: f64((x) => x.uniqueTokens ?? Number.NaN) } : {}),
      ...(hasLine ? { line: Int32Array.from(r, (x) => x.line ?? 0) } : {}),
    };
  }
}

/**
 * Concatenates run tables (the corpus is one table of many sources). Optional columns present in
 * any input are kept, filled with "" or NaN where an input lacks them; `line` is dropped because
 * it would point into different files.
 */
export function concatTables(tables: readonly RunTable[], origin: string): RunTable {
  const n = tables.reduce((s, t) => s + t.length, 0);
  const strings = (get: (t: RunTable) => readonly string[] | undefined) =>
    tables.flatMap((t) => (get(t) as string[] | undefined) ?? new Array<string>(t.length).fill(""));
  const numbers = (get: (t: RunTable) => Float64Array | undefined) => {
    const out = new Float64Array(n);
    let at = 0;
    for (const t of tables) {
      const a = get(t);
      if (a) out.set(a, at);
      else out.fill(Number.NaN, at, at + t.length);
      at += t.length;
    }
    return out;
  };
  const any = (get: (t: RunTable) => unknown) => tables.some((t) => get(t) !== undefined);
  return {
    origin,
    length: n,
    family: strings((t) => t.family),
    model: strings((t) => t.model),
    params: numbers((t) => t.params),
    tokens: numbers((t) => t.tokens),
    flops: numbers((t) => t.flops),
    metric: strings((t) => t.metric),
    value: numbers((t) => t.value),
    seed: strings((t) => t.seed),
    step: numbers((t) => t.step),
    ...(any((t) => t.arch) ? { arch: strings((t) => t.arch) } : {}),
    ...(any((t) => t.dataset) ? { dataset: strings((t) => t.dataset) } : {}),
    ...(any((t) => t.source) ? { source: strings((t) => t.source) } : {}),
    ...(any((t) => t.uniqueTokens) ? { uniqueTokens: numbers((t) => t.uniqueTokens) } : {}),
  };
}
