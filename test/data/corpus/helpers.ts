import type { RunTable } from "../../../src/data/types.js";

/** Row indices of a table that match a predicate. */
export function rowsWhere(t: RunTable, pick: (i: number) => boolean): number[] {
  return Array.from({ length: t.length }, (_, i) => i).filter(pick);
}

/** Distinct values of a string column, sorted. */
export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Counts rows per value of a string column. */
export function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Parses a small CSV with no quoted cells into records (the shared files checked here have none). */
export function plainCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split("\n");
  const names = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((c, i) => [names[i], c])));
}
