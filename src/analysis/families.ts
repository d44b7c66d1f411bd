import { PERF_METRIC } from "../data/corpus/colpret.js";
import { concatTables } from "../data/corpus/rows.js";
import type { RunTable } from "../data/types.js";

/**
 * The metric the pythia-evals adapter stores for zero-shot LAMBADA (OpenAI): raw perplexity. Its
 * five-shot twin (`lambada_openai_ppl_5shot`) is left out: the paper's 5-shot Pythia families are
 * excluded from every aggregate (HITCHHIKER_SPEC §3.3), and the spec's `perf` for Pythia is the
 * zero-shot perplexity (§1.2).
 */
export const PYTHIA_PPL_METRIC = "lambada_openai_ppl";

/** Pythia families (the model name with its size removed, spec §1.3), as the adapter names them. */
export const PYTHIA_FAMILY = /^pythia(-|$)/;

/**
 * Pythia rows as the Hitchhiker's `perf` (HITCHHIKER_SPEC §1.2: a `ppl` column becomes log2(ppl)):
 * the zero-shot LAMBADA perplexity rows of the pythia-evals table, value log2(ppl), metric `perf`,
 * every other column as read (family `pythia` / `pythia-deduped`, D = step × 2,097,152). The
 * adapter keeps the raw perplexity so that `corpus build` and `evaluate --corpus pythia-evals` see
 * what upstream published; the transform belongs to the meta-analysis's definition of `perf`, so
 * it lives here.
 */
export function pythiaPerf(pythia: RunTable): RunTable {
  const rows: number[] = [];
  for (let i = 0; i < pythia.length; i++) {
    if (pythia.metric[i] === PYTHIA_PPL_METRIC && pythia.value[i] > 0) rows.push(i);
  }
  const pick = <T>(xs: readonly T[] | undefined) => (xs ? rows.map((r) => xs[r]) : undefined);
  const num = (xs: Float64Array) => Float64Array.from(rows, (r) => xs[r]);
  return {
    origin: pythia.origin,
    length: rows.length,
    family: rows.map((r) => pythia.family[r]),
    model: rows.map((r) => pythia.model[r]),
    params: num(pythia.params),
    tokens: num(pythia.tokens),
    flops: num(pythia.flops),
    metric: rows.map(() => PERF_METRIC),
    value: Float64Array.from(rows, (r) => Math.log2(pythia.value[r])),
    seed: rows.map((r) => pythia.seed[r]),
    step: num(pythia.step),
    ...(pythia.arch ? { arch: pick(pythia.arch) } : {}),
    ...(pythia.dataset ? { dataset: pick(pythia.dataset) } : {}),
    ...(pythia.source ? { source: pick(pythia.source) } : {}),
  };
}

/**
 * The table the meta-analysis runs on: ColPret's families (already in `perf`) plus, when the
 * pythia-evals table is given, its two Pythia families in `perf` ({@link pythiaPerf}). ColPret's
 * own `pythia.csv` is missing from the recovered snapshot (spec §1.3), so this rebuilds the part of
 * it the spec describes. The origin names both sources, so saved chunks of a ColPret-only run are
 * not mistaken for this one's.
 */
export function hitchhikerTable(colpret: RunTable, pythia?: RunTable): RunTable {
  if (!pythia) return colpret;
  return concatTables([colpret, pythiaPerf(pythia)], `${colpret.origin}+pythia-evals`);
}
