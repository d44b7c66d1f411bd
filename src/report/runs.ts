import { formatSize } from "../data/size.js";
import type { FamilyRuns } from "../data/summary.js";

/** The summary as an aligned text table: one line per family, then one per model. */
export function runsText(families: readonly FamilyRuns[]): string {
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
