import type { RunTable } from "./types.js";

/** Which rows of a run table a fit uses. */
export interface RowSelection {
  /** Only rows of this family. */
  readonly family?: string;
  /** Leave this model's rows out (a held-out target). */
  readonly exclude?: string;
  /** The early cut: only checkpoints with D ≥ this (the Hitchhiker's Guide drops those before 10B). */
  readonly minTokens?: number;
  /** Fraction p of each run's training: checkpoints with D ≤ p · (the run's last D). */
  readonly fraction?: number;
}

/**
 * Indices of the rows a selection keeps, in table order. The fraction is taken per run (family,
 * model, seed), as the Hitchhiker's Guide fits on the first p of each model's training.
 */
export function selectRows(table: RunTable, s: RowSelection = {}): number[] {
  const key = (i: number) => `${table.family[i]}\u0000${table.model[i]}\u0000${table.seed[i]}`;
  const last = new Map<string, number>();
  if (s.fraction !== undefined && s.fraction < 1) {
    for (let i = 0; i < table.length; i++) {
      const k = key(i);
      last.set(k, Math.max(last.get(k) ?? 0, table.tokens[i]));
    }
  }
  const out: number[] = [];
  for (let i = 0; i < table.length; i++) {
    if (s.family !== undefined && table.family[i] !== s.family) continue;
    if (s.exclude !== undefined && table.model[i] === s.exclude) continue;
    if (s.minTokens !== undefined && table.tokens[i] < s.minTokens) continue;
    if (last.size > 0 && table.tokens[i] > (s.fraction ?? 1) * (last.get(key(i)) ?? 0)) continue;
    out.push(i);
  }
  return out;
}
