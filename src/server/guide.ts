import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AnalysisSummary } from "../analysis/summary.js";
import type { ResultRow } from "../analysis/types.js";
import { InputError } from "../errors.js";
import { aggregateHeatmap, familyHeatmap } from "../report/analysis-figures.js";
import type { Spec } from "../report/plots/index.js";

/** The tables `scaleladder analyze --out DIR` writes that the heatmaps draw from. */
export interface AnalysisFolder {
  readonly summary: AnalysisSummary;
  readonly rows: readonly ResultRow[];
  readonly families: readonly string[];
  readonly protocols: readonly string[];
}

/**
 * Reads an analysis folder once (summary.json, grid.json, and window/number-vs-size when present).
 * JSON has no NaN: a failed fit's ARE was written as null and is read back as NaN.
 * @throws InputError naming the file when the folder is not one analyze wrote
 */
export function readAnalysisFolder(dir: string): AnalysisFolder {
  const read = <T>(name: string, optional = false): T | undefined => {
    const path = join(dir, name);
    if (optional && !existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, "utf8")) as T;
    } catch (e) {
      throw new InputError(`cannot read ${(e as Error).message.split("\n")[0]}`, {
        file: path,
        hint: "give --analysis the folder written by scaleladder analyze --out DIR",
      });
    }
  };
  const summary = read<AnalysisSummary>("summary.json") as AnalysisSummary;
  const rows = ["grid.json", "window.json", "number-vs-size.json"].flatMap((f, i) =>
    (read<ResultRow[]>(f, i > 0) ?? []).map((r) => ({
      ...r,
      are: r.are ?? Number.NaN,
      scaleUp: r.scaleUp ?? Number.NaN,
    })),
  );
  return {
    summary,
    rows,
    families: [...new Set(rows.map((r) => r.family))].sort(),
    protocols: [...new Set(rows.map((r) => r.protocol))].sort(),
  };
}

/** One family's heatmaps, or the aggregated ones without a family. */
export function guideFigure(a: AnalysisFolder, family: string | undefined, protocol: string): Spec {
  const spec = family
    ? familyHeatmap(a.rows, a.summary, family, protocol)
    : aggregateHeatmap(a.summary, protocol);
  if (!spec) {
    throw new InputError(
      family
        ? `no heatmap rows of family "${family}" (${protocol} protocol)`
        : `no aggregated heatmap for protocol "${protocol}"`,
      {
        field: family ? "family" : "protocol",
        hint: `families: ${a.families.slice(0, 12).join(", ")}`,
      },
    );
  }
  return spec;
}
