import type { RunTable } from "../data/types.js";
import { mean } from "../math/stats.js";
import { TEST_FROM } from "./forecast.js";

/** Seed-to-seed difference of one model: two runs that differ only in seed. */
export interface SeedPair {
  readonly model: string;
  readonly params: number;
  readonly seeds: readonly [string, string];
  /** Checkpoints matched by token count in the last 30% of training. */
  readonly points: number;
  /** Mean |L₁ − L₂| / L₂ over the matched checkpoints: the ARE one seed scores on the other. */
  readonly are: number;
}

/** The ARE floor a family's seed variation implies. */
export interface NoiseEstimate {
  readonly family: string;
  readonly metric: string;
  readonly pairs: readonly SeedPair[];
  /** Models with at least two seeds. */
  readonly models: number;
  readonly meanAre: number;
  readonly maxAre: number;
}

/**
 * Estimates the ARE floor from runs that differ only in seed (same family, model and size): for each
 * pair of seeds of a model, the mean relative difference of their losses over the last 30% of
 * training, at checkpoints with equal token counts (within 0.5%). This is the error a perfect law
 * would still score against one seed; the Hitchhiker's Guide puts it at up to about 4% (§4, from
 * MultiBERTs' 3.5%). Pure; empty `pairs` when the data has no repeated seeds.
 */
export function seedNoise(table: RunTable, family: string, metric?: string): NoiseEstimate {
  const m = metric ?? mostCommonMetric(table, family);
  const runs = new Map<string, Map<string, number[]>>();
  for (let i = 0; i < table.length; i++) {
    if (table.family[i] !== family || table.metric[i] !== m) continue;
    const bySeed = runs.get(table.model[i]) ?? new Map<string, number[]>();
    const rows = bySeed.get(table.seed[i]) ?? [];
    rows.push(i);
    bySeed.set(table.seed[i], rows);
    runs.set(table.model[i], bySeed);
  }
  const pairs: SeedPair[] = [];
  let models = 0;
  for (const [model, bySeed] of runs) {
    const seeds = [...bySeed.keys()];
    if (seeds.length < 2) continue;
    models++;
    for (let a = 0; a < seeds.length; a++) {
      for (let b = a + 1; b < seeds.length; b++) {
        const pair = compare(
          table,
          bySeed.get(seeds[a]) as number[],
          bySeed.get(seeds[b]) as number[],
        );
        if (pair.points > 0)
          pairs.push({
            model,
            params: table.params[(bySeed.get(seeds[a]) as number[])[0]],
            seeds: [seeds[a], seeds[b]],
            ...pair,
          });
      }
    }
  }
  const ares = pairs.map((p) => p.are);
  return {
    family,
    metric: m,
    pairs,
    models,
    meanAre: mean(ares),
    maxAre: ares.length ? Math.max(...ares) : Number.NaN,
  };
}

function compare(table: RunTable, r1: number[], r2: number[]): { points: number; are: number } {
  const T = Math.max(...r1.map((r) => table.tokens[r]));
  let s = 0;
  let n = 0;
  for (const i of r1) {
    const D = table.tokens[i];
    if (D < TEST_FROM * T) continue;
    const j = r2.find((k) => Math.abs(table.tokens[k] - D) <= 0.005 * D);
    if (j === undefined) continue;
    s += Math.abs(table.value[i] - table.value[j]) / table.value[j];
    n++;
  }
  return { points: n, are: n ? s / n : Number.NaN };
}

function mostCommonMetric(table: RunTable, family: string): string {
  const count = new Map<string, number>();
  for (let i = 0; i < table.length; i++)
    if (table.family[i] === family)
      count.set(table.metric[i], (count.get(table.metric[i]) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "loss";
}
