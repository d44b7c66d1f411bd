import type { RunTable } from "../types.js";

/** One family of a run table at a glance, as `corpus list` shows it. */
export interface FamilySummary {
  readonly family: string;
  /** The dataset the rows came from (the `source` column); "" when absent. */
  readonly source: string;
  /** Distinct model names. */
  readonly models: number;
  /** Distinct training runs: (model, seed) pairs. */
  readonly runs: number;
  readonly rows: number;
  readonly minParams: number;
  readonly maxParams: number;
  readonly minTokens: number;
  readonly maxTokens: number;
  /** Most rows of one run under one metric: 1 for final-loss tables, the checkpoint count otherwise. */
  readonly maxCheckpoints: number;
  readonly metrics: readonly string[];
}

/**
 * Summarises a run table per family: model and run counts, size and token ranges, metrics. Families
 * come out sorted by source, then name, so the listing is stable.
 */
export function summarizeFamilies(t: RunTable): FamilySummary[] {
  interface Acc {
    source: string;
    models: Set<string>;
    perRun: Map<string, number>;
    rows: number;
    minN: number;
    maxN: number;
    minD: number;
    maxD: number;
    metrics: Set<string>;
  }
  const by = new Map<string, Acc>();
  for (let i = 0; i < t.length; i++) {
    let a = by.get(t.family[i]);
    if (!a) {
      a = {
        source: t.source?.[i] ?? "",
        models: new Set(),
        perRun: new Map(),
        rows: 0,
        minN: Infinity,
        maxN: -Infinity,
        minD: Infinity,
        maxD: -Infinity,
        metrics: new Set(),
      };
      by.set(t.family[i], a);
    }
    a.rows++;
    a.models.add(t.model[i]);
    const key = `${t.model[i]}\u0000${t.seed[i]}\u0000${t.metric[i]}`;
    a.perRun.set(key, (a.perRun.get(key) ?? 0) + 1);
    a.minN = Math.min(a.minN, t.params[i]);
    a.maxN = Math.max(a.maxN, t.params[i]);
    a.minD = Math.min(a.minD, t.tokens[i]);
    a.maxD = Math.max(a.maxD, t.tokens[i]);
    a.metrics.add(t.metric[i]);
  }
  return [...by.entries()]
    .map(([family, a]) => ({
      family,
      source: a.source,
      models: a.models.size,
      runs: new Set([...a.perRun.keys()].map((k) => k.slice(0, k.lastIndexOf("\u0000")))).size,
      rows: a.rows,
      minParams: a.minN,
      maxParams: a.maxN,
      minTokens: a.minD,
      maxTokens: a.maxD,
      maxCheckpoints: Math.max(...a.perRun.values()),
      metrics: [...a.metrics].sort(),
    }))
    .sort((x, y) => x.source.localeCompare(y.source) || x.family.localeCompare(y.family));
}
