import { formatSize } from "../data/size.js";
import type { FamilyRuns } from "../data/summary.js";
import type { RunTable } from "../data/types.js";

/** The summary as an aligned text table: one line per family, then one per model. */
export function runsText(families: readonly FamilyRuns[], width = 120): string {
  if (families.length === 0) return "no runs\n";
  const range = (a: number, b: number) =>
    a === b ? formatSize(a) : `${formatSize(a)}–${formatSize(b)}`;
  const rows: string[][] = [
    ["family / model", "params", "tokens", "checkpoints", "seeds", "rows", "metrics"],
  ];
  for (const f of families) {
    rows.push([
      f.family || "(no family)",
      range(f.paramsMin, f.paramsMax),
      range(f.tokensMin, f.tokensMax),
      `${f.models.length} models`,
      String(f.seeds),
      String(f.rows),
      f.metrics.join(", "),
    ]);
    for (const m of f.models) {
      rows.push([
        `  ${m.model}`,
        formatSize(m.params),
        range(m.tokensMin, m.tokensMax),
        String(m.checkpoints),
        String(m.seeds),
        String(m.rows),
        "",
      ]);
    }
  }
  // Long model names and metric lists are cut so each line fits `width` characters.
  const fit = (cell: string, max: number) =>
    cell.length > max ? `${cell.slice(0, Math.max(1, max - 1))}…` : cell;
  const colWidth = (c: number) => Math.max(...rows.map((r) => r[c].length));
  const middle = rows[0]
    .slice(1, -1)
    .map((_, c) => colWidth(c + 1) + 2)
    .reduce((a, b) => a + b, 0);
  // At least 16 characters of metrics; names give way first, down to 12.
  const nameMax = Math.max(12, Math.min(48, width - middle - 2 - 16));
  for (const r of rows) r[0] = fit(r[0], nameMax);
  const fixed = colWidth(0) + 2 + middle;
  for (const r of rows) r[r.length - 1] = fit(r[r.length - 1], Math.max(16, width - fixed));
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) =>
          c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

/** Compares names with their numbers in numeric order: `T200` before `T1000`, `1.3B` before `13B`. */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+(?:\.\d+)?|\D+/g) ?? [];
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const nx = Number(x[i]);
    const ny = Number(y[i]);
    const d =
      Number.isFinite(nx) && Number.isFinite(ny) && /\d/.test(x[i]) && /\d/.test(y[i])
        ? nx - ny
        : x[i] < y[i]
          ? -1
          : x[i] > y[i]
            ? 1
            : 0;
    if (d !== 0) return d;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Families by name and models by size, then by name, numbers in numeric order. */
export function naturalOrder(families: FamilyRuns[]): FamilyRuns[] {
  return [...families]
    .sort((a, b) => naturalCompare(a.family, b.family))
    .map((f) => ({
      ...f,
      models: [...f.models].sort((a, b) => a.params - b.params || naturalCompare(a.model, b.model)),
    }));
}

/** Row indices in family, model (natural), seed, metric, tokens order. */
function rowOrder(t: RunTable): number[] {
  return Array.from({ length: t.length }, (_, i) => i).sort(
    (a, b) =>
      naturalCompare(t.family[a], t.family[b]) ||
      t.params[a] - t.params[b] ||
      naturalCompare(t.model[a], t.model[b]) ||
      naturalCompare(t.seed[a], t.seed[b]) ||
      naturalCompare(t.metric[a], t.metric[b]) ||
      t.tokens[a] - t.tokens[b],
  );
}

/** Every row as a JSON object, in row order. */
export function rowObjects(t: RunTable) {
  return rowOrder(t).map((i) => ({
    family: t.family[i],
    model: t.model[i],
    seed: t.seed[i],
    metric: t.metric[i],
    params: t.params[i],
    tokens: t.tokens[i],
    step: Number.isNaN(t.step[i]) ? null : t.step[i],
    value: t.value[i],
  }));
}

/** Every row as an aligned table. */
export function rowsText(t: RunTable): string {
  const rows = [["family", "model", "seed", "metric", "params", "tokens", "step", "value"]];
  for (const i of rowOrder(t))
    rows.push([
      t.family[i] || "(no family)",
      t.model[i],
      t.seed[i],
      t.metric[i],
      formatSize(t.params[i]),
      formatSize(t.tokens[i]),
      Number.isNaN(t.step[i]) ? "" : String(t.step[i]),
      String(Number(t.value[i].toPrecision(6))),
    ]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
