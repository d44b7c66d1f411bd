import { join, resolve } from "node:path";
import { coverageCells, summarizeCoverage } from "../analysis/coverage.js";
import { toCsv } from "../report/analysis-tables.js";
import { COVERAGE_COLUMNS, coverageRow, coverageText } from "../report/coverage.js";
import { numberFlag } from "./args.js";
import { type Flags, type FlagValues, flagHelp, str } from "./flags.js";
import { type Io, toJson, writeFileAtomic } from "./io.js";
import { readTable, type TABLE_FLAGS } from "./table-input.js";

/** Flags only `analyze --experiment coverage` reads. */
export const COVERAGE_FLAGS = {
  bootstrap: str("K", "resamples per forecast for coverage (default 100)"),
  seed: str("S", "seed of the resampling (default 0)"),
  "min-tokens": str("c", "coverage only: drop checkpoints with at most c tokens (default 1e10)"),
} as const satisfies Flags;

export const COVERAGE_HELP = `  --experiment coverage   calibration of forecast intervals (docs/downstream.md): per family and
                      overall, how often the target's final loss falls in the whole-run bootstrap's
                      confidence interval and in the prediction interval, and their median widths;
                      runs alone, writes coverage.csv/json
${flagHelp(COVERAGE_FLAGS)}`;

/** What the coverage run reads of `analyze`'s flags. */
export type CoverageValues = FlagValues<typeof TABLE_FLAGS & typeof COVERAGE_FLAGS> & {
  families?: string;
  out?: string;
  workers?: string;
  json?: boolean;
};

/** `analyze --experiment coverage`: fits every family's main grid with a bootstrap and scores both intervals. */
export async function runCoverage(
  values: CoverageValues,
  positionals: string[],
  io: Io,
): Promise<number> {
  const loaded = await readAnalysisTable(values, positionals, io);
  const families = listOfFamilies(values);
  const level = 0.95;
  const cells = await coverageCells(loaded.table, {
    families,
    metric: values.metric,
    resamples: numberFlag(values, "bootstrap", { integer: true, min: 20, max: 1e5 }) ?? 100,
    seed: numberFlag(values, "seed", { integer: true, min: 0 }) ?? 0,
    level,
    minTokens: numberFlag(values, "min-tokens", { min: 0 }) ?? loaded.defaultMinTokens,
    workers: numberFlag(values, "workers", { integer: true, min: 1, max: 64 }),
    onCell: io.isTTY ? (d, n) => io.err(`\rcoverage ${d}/${n}`) : undefined,
  });
  if (io.isTTY) io.err("\n");
  const summary = summarizeCoverage(cells);
  const dir = resolve(values.out ?? "scaleladder-analysis");
  writeFileAtomic(join(dir, "coverage.csv"), toCsv(cells.map(coverageRow), COVERAGE_COLUMNS));
  writeFileAtomic(join(dir, "coverage.json"), toJson({ summary, cells }));
  io.out(values.json ? toJson({ summary, cells }) : coverageText(summary, level));
  return 0;
}

/** The table `analyze` reads: the one given, or the Hitchhiker corpus when none is. */
export function readAnalysisTable(
  values: FlagValues<typeof TABLE_FLAGS>,
  positionals: string[],
  io: Io,
): ReturnType<typeof readTable> {
  const noSource =
    positionals.length === 0 &&
    values.corpus === undefined &&
    !values.builtin &&
    values.db === undefined;
  return readTable(
    noSource ? { ...values, corpus: "hitchhiker-colpret" } : values,
    positionals,
    "analyze",
    io,
  );
}

/** `--families A,B` as a list (undefined: all). */
export function listOfFamilies(values: { families?: string }): string[] | undefined {
  return values.families
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
