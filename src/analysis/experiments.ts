import type { RunTable } from "../data/types.js";
import { BORROW_PRESETS } from "../estimate/borrow.js";
import { DEFAULT_MIN_TOKENS, type ForecastSpec } from "../estimate/forecast.js";
import { type Family, familyNames, familyOf } from "../estimate/selection.js";
import type { FitOptions } from "../fit/types.js";
import { PYTHIA_FAMILY } from "./families.js";
import type { Cell, Chunk, ExperimentName, ProtocolName } from "./types.js";

/** Training fractions p of every swept experiment: 10%, 20%, …, 100%. */
export const FRACTIONS: readonly number[] = Array.from({ length: 10 }, (_, i) => (i + 1) / 10);
/** Lower ends m of the end-of-training windows m·0.7T ≤ D < 0.7T (HITCHHIKER_SPEC §3.4d). */
export const END_FRACTIONS: readonly number[] = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99];
/** Fractions p of self-prediction: a run predicts its last 30% from its first p (§3.4j: p ≤ 0.7). */
export const SELF_FRACTIONS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
/** The early cut of self-prediction, lower than the main 1e10 (HITCHHIKER_SPEC §1.4, §3.4j). */
export const SELF_MIN_TOKENS = 1e8;
/** Models per sliding window (§3.4a). */
export const WINDOW = 4;

/**
 * Fit settings of the meta-analysis under the default protocol: exactly `evaluate`'s default fit,
 * so both give the same answer for the same cell. Refining 2 starts instead of 5 reached the same
 * objective value, but on flat ridges (GPT-3 from 2 models) the same value is reached at different
 * parameters (α 1.73 vs 0.37, both 0.015905677374172 Huber loss), which extrapolate to 35.4% and
 * 11.0% ARE; the refined starts decide which, so there must be one setting.
 */
export const ANALYSIS_FIT: FitOptions = {};

/**
 * Numbers of training models tried for a pool of n smaller models (HITCHHIKER_SPEC §3.2): every k
 * from 2 when n ≤ 20, else steps of ⌊n/5⌋ (n ≤ 60) or 10, always ending with all n.
 */
export function kSchedule(n: number): number[] {
  if (n < 2) return [];
  if (n <= 20) return Array.from({ length: n - 1 }, (_, i) => i + 2);
  const step = n <= 60 ? Math.floor(n / 5) : 10;
  const ks: number[] = [];
  for (let k = 2; k <= n; k += step) ks.push(k);
  if (ks[ks.length - 1] !== n) ks.push(n);
  return ks;
}

/** Why a family takes part in an experiment or not. */
export function eligible(family: Family, table: RunTable, experiment: ExperimentName): boolean {
  const target = family.models[family.models.length - 1];
  // The paper skips a family whose target never gets below 10 (HITCHHIKER_SPEC §1.2).
  let min = Number.POSITIVE_INFINITY;
  for (const r of target.rows) min = Math.min(min, table.value[r]);
  if (min > 10) return false;
  if (experiment === "borrow") return family.models.length >= 2;
  if (experiment === "self-prediction") return family.models.length >= 1;
  return family.models.length >= 3;
}

/** Options of {@link planChunks}. */
export interface PlanOptions {
  readonly experiments: readonly ExperimentName[];
  readonly protocols: readonly ProtocolName[];
  /** Family names; defaults to every family in the table. */
  readonly families?: readonly string[];
  /** Law to fit under the default protocol instead of the 5-parameter Chinchilla law. */
  readonly law?: string;
}

/**
 * Lays out every forecast of the chosen experiments as chunks of one experiment × family × protocol:
 * the unit that runs on a worker and that is saved and resumed.
 */
export function planChunks(table: RunTable, options: PlanOptions): Chunk[] {
  const names = options.families ?? familyNames(table);
  const families = names.map((n) => familyOf(table, n));
  const chunks: Chunk[] = [];
  for (const experiment of options.experiments) {
    for (const family of families) {
      if (!eligible(family, table, experiment)) continue;
      for (const protocol of options.protocols) {
        const cells = cellsOf(experiment, family, protocol, options.law);
        if (cells.length === 0) continue;
        chunks.push({
          id: chunkId(experiment, family.name, protocol, options.law),
          experiment,
          family: family.name,
          protocol,
          cells,
        });
      }
    }
  }
  return chunks;
}

/** `grid__GPT2-c4-4__paper` (`__LAW` appended for another law), unsafe characters replaced. */
export function chunkId(
  experiment: string,
  family: string,
  protocol: string,
  law?: string,
): string {
  return `${experiment}__${family.replace(/[^\w.-]+/g, "_")}__${protocol}${law ? `__${law}` : ""}`;
}

function cellsOf(
  experiment: ExperimentName,
  family: Family,
  protocol: ProtocolName,
  law?: string,
): Cell[] {
  const n = family.models.length - 1;
  const fit = protocol === "default" ? { ...ANALYSIS_FIT, ...(law ? { law } : {}) } : {};
  const base = { family: family.name, metric: family.metric, protocol, fit };
  const cell = (
    spec: Partial<ForecastSpec>,
    k: number | null,
    extra: Partial<Cell> = {},
  ): Cell => ({
    experiment,
    protocol,
    spec: { ...base, ...spec, fit: { ...fit, ...spec.fit } } as ForecastSpec,
    k,
    ...extra,
  });
  const sweep = (f: (p: number) => Cell | Cell[]) => FRACTIONS.flatMap(f);
  switch (experiment) {
    case "grid":
    case "baselines":
      return kSchedule(n).flatMap((k) =>
        sweep((p) =>
          cell(
            { train: { kind: "smallest", k }, fraction: p },
            k,
            experiment === "baselines" ? { noFit: true } : {},
          ),
        ),
      );
    case "no-cut":
      return kSchedule(n).flatMap((k) =>
        sweep((p) => cell({ train: { kind: "smallest", k }, fraction: p, minTokens: 0 }, k)),
      );
    case "window":
      return ends(n, WINDOW).flatMap((end) =>
        sweep((p) =>
          cell({ train: { kind: "window", k: WINDOW, end }, fraction: p, cutTest: true }, WINDOW),
        ),
      );
    case "number-vs-size":
      return ends(n, 2).flatMap((end) =>
        kSchedule(end + 1).map((k) =>
          cell({ train: { kind: "window", k, end }, fraction: 1, cutTest: true }, k),
        ),
      );
    case "end-of-training":
      return kSchedule(n).flatMap((k) =>
        END_FRACTIONS.map((m) =>
          cell(
            { train: { kind: "smallest", k }, fraction: 0.7, fromFraction: 0.7 * m, cutTest: true },
            k,
            { m },
          ),
        ),
      );
    case "borrow":
      return family.models.flatMap((model, i) =>
        sweep((p) =>
          cell(
            i === family.models.length - 1
              ? {
                  train: { kind: "list", models: [] },
                  partialTarget: true,
                  fraction: p,
                  cutTest: true,
                  fit: { fix: BORROW_PRESETS.hitchhiker.params },
                }
              : {
                  train: { kind: "list", models: [model.name] },
                  fraction: p,
                  cutTest: true,
                  fit: { fix: BORROW_PRESETS.hitchhiker.params },
                },
            1,
          ),
        ),
      );
    case "scale-down": {
      if (!PYTHIA_FAMILY.test(family.name)) {
        return kSchedule(n).flatMap((k) =>
          sweep((p) =>
            cell({ scaleDown: true, train: { kind: "largest", k }, fraction: p, cutTest: true }, k),
          ),
        );
      }
      // ColPret's scale-down drops the largest Pythia model (HITCHHIKER_SPEC §3.4g): the pool is the
      // models between the smallest (the target) and the largest, and k takes the largest of those.
      const pool = family.models.slice(1, n).map((m) => m.name);
      return kSchedule(pool.length).flatMap((k) =>
        sweep((p) =>
          cell(
            {
              scaleDown: true,
              train: { kind: "list", models: pool.slice(pool.length - k) },
              fraction: p,
              cutTest: true,
            },
            k,
          ),
        ),
      );
    }
    case "bad-model":
      if (n < 4 || n > 19) return [];
      return [
        cell({ fraction: 0.7, cutTest: true }, n),
        ...family.models.slice(0, n).map((m) =>
          cell(
            {
              train: {
                kind: "list",
                models: family.models
                  .slice(0, n)
                  .filter((o) => o !== m)
                  .map((o) => o.name),
              },
              fraction: 0.7,
              cutTest: true,
            },
            n - 1,
            { heldOut: m.name },
          ),
        ),
      ];
    case "params":
      return [cell({ fraction: 1, minTokens: DEFAULT_MIN_TOKENS }, n)];
    case "self-prediction":
      // Every run, the target included, fitted on its own first p with the 5-parameter law and
      // scored on its own last 30% (§3.4j); a single size, so only the token term extrapolates.
      return family.models.flatMap((model) =>
        SELF_FRACTIONS.map((p) =>
          cell(
            {
              target: model.name,
              train: { kind: "list", models: [] },
              partialTarget: true,
              fraction: p,
              minTokens: SELF_MIN_TOKENS,
              cutTest: true,
            },
            0,
          ),
        ),
      );
  }
}

/**
 * Pool indices where a window may end: every index from `minSize − 1` when the pool is small, else
 * the same sparse schedule as the numbers of models (large families such as Chinchilla's 42 sizes).
 */
function ends(n: number, minSize: number): number[] {
  if (n < minSize) return [];
  if (n <= 20) return Array.from({ length: n - minSize + 1 }, (_, i) => i + minSize - 1);
  return kSchedule(n)
    .filter((k) => k >= minSize)
    .map((k) => k - 1);
}
