import type { DuckDBConnection } from "@duckdb/node-api";

/** One training run family member in a summary: its size and what was logged for it. */
export interface ModelRuns {
  readonly model: string;
  readonly params: number;
  readonly rows: number;
  /** Distinct checkpoints (steps, or token counts where steps are unknown), over all seeds. */
  readonly checkpoints: number;
  readonly seeds: number;
  readonly tokensMin: number;
  readonly tokensMax: number;
  readonly metrics: readonly string[];
}

/** A family of models in a summary, with its ranges. */
export interface FamilyRuns {
  readonly family: string;
  readonly rows: number;
  readonly paramsMin: number;
  readonly paramsMax: number;
  readonly tokensMin: number;
  readonly tokensMax: number;
  readonly seeds: number;
  readonly metrics: readonly string[];
  readonly models: readonly ModelRuns[];
}

/**
 * Summarises canonical rows (`from`: a table or parenthesised query) by family and model: sizes,
 * token ranges, checkpoint and seed counts, metrics. Families and models are ordered by name and
 * size, so the same rows give the same summary.
 */
export async function summarizeRuns(conn: DuckDBConnection, from: string): Promise<FamilyRuns[]> {
  const res = await conn.runAndReadAll(`
    SELECT family, model, min(params) AS params, count(*) AS n,
      count(DISTINCT coalesce(CAST(step AS VARCHAR), 'D' || CAST(tokens AS VARCHAR))) AS checkpoints,
      count(DISTINCT seed) AS seeds, min(tokens) AS tmin, max(tokens) AS tmax,
      list_sort(list_distinct(list(metric))) AS metrics
    FROM ${from} GROUP BY family, model ORDER BY family, params, model`);
  const families = new Map<string, ModelRuns[]>();
  const seedRows = await conn.runAndReadAll(
    `SELECT family, count(DISTINCT seed) AS s FROM ${from} GROUP BY family`,
  );
  const seedsOf = new Map(seedRows.getRowObjects().map((o) => [String(o.family), Number(o.s)]));
  for (const o of res.getRowObjectsJS()) {
    const fam = String(o.family);
    if (!families.has(fam)) families.set(fam, []);
    families.get(fam)!.push({
      model: String(o.model),
      params: Number(o.params),
      rows: Number(o.n),
      checkpoints: Number(o.checkpoints),
      seeds: Number(o.seeds),
      tokensMin: Number(o.tmin),
      tokensMax: Number(o.tmax),
      metrics: (o.metrics as string[]).map(String),
    });
  }
  return [...families].map(([family, models]) => ({
    family,
    rows: models.reduce((s, m) => s + m.rows, 0),
    paramsMin: Math.min(...models.map((m) => m.params)),
    paramsMax: Math.max(...models.map((m) => m.params)),
    tokensMin: Math.min(...models.map((m) => m.tokensMin)),
    tokensMax: Math.max(...models.map((m) => m.tokensMax)),
    seeds: seedsOf.get(family) ?? 0,
    metrics: [...new Set(models.flatMap((m) => m.metrics))].sort(),
    models,
  }));
}
