import type { RunTable } from "../data/types.js";
import { meanRelativeError } from "../estimate/are.js";
import {
  evaluateForecast,
  type Forecast,
  forecastPrepared,
  needsFit,
  type PreparedForecast,
  prepareForecast,
  TEST_FROM,
} from "../estimate/forecast.js";
import { type Family, familyOf } from "../estimate/selection.js";
import { predictLoss } from "../fit/fit.js";
import type { FitOptions } from "../fit/types.js";
import { FitMemo } from "./fit-memo.js";
import type { Cell, Chunk, ResultRow } from "./types.js";

/**
 * What a worker keeps between chunks: the families it has collected and the fits it has made, so a
 * family's rows are gathered once and a training set shared by several experiments is fitted once.
 */
export interface ChunkCache {
  readonly families: Map<string, Family>;
  readonly fits: FitMemo;
}

export function chunkCache(): ChunkCache {
  return { families: new Map(), fits: new FitMemo() };
}

/**
 * Runs one chunk's cells and returns their tidy rows. A cell whose settings are invalid for the
 * family (too few models for a window, …) gets a `status: "invalid"` row with the reason; it never
 * aborts the chunk. `now` times each fit.
 */
export function runChunk(
  table: RunTable,
  chunk: Chunk,
  now?: () => number,
  cache: ChunkCache = chunkCache(),
): ResultRow[] {
  const family = familyIn(table, chunk, cache);
  return chunk.cells.flatMap((c) => runCell(table, family, c, now, cache.fits));
}

/** A training set one of a chunk's cells fits: its table rows and fit options (no clock). */
export interface TrainingSet {
  readonly rows: readonly number[];
  readonly options: FitOptions;
}

/**
 * The training sets `runChunk` would fit that `cache` does not hold yet (a set shared by several
 * cells appears once per cell): what a scheduler can fit on other threads before the chunk runs.
 * Found by the same preparation `runCell` makes, so the rows and options are the ones it will ask
 * the memo for.
 */
export function chunkTrainingSets(table: RunTable, chunk: Chunk, cache: ChunkCache): TrainingSet[] {
  const family = familyIn(table, chunk, cache);
  const sets: TrainingSet[] = [];
  for (const cell of chunk.cells) {
    if (cell.noFit) continue;
    let prep: PreparedForecast;
    try {
      prep = prepareForecast(table, cell.spec, family);
    } catch {
      continue; // an invalid cell: runCell records it without fitting
    }
    if (needsFit(prep) && !cache.fits.has(prep.trainRows, prep.fitOptions))
      sets.push({ rows: prep.trainRows, options: prep.fitOptions });
  }
  return sets;
}

function familyIn(table: RunTable, chunk: Chunk, cache: ChunkCache): Family {
  let family = cache.families.get(chunk.family);
  if (!family) {
    family = familyOf(table, chunk.family);
    cache.families.set(chunk.family, family);
  }
  return family;
}

/** Runs one cell: a forecast (or its baselines) as one or two tidy rows. */
export function runCell(
  table: RunTable,
  family: Family,
  cell: Cell,
  now?: () => number,
  fits: FitMemo = new FitMemo(),
): ResultRow[] {
  let f: Forecast;
  try {
    if (cell.noFit) {
      f = evaluateForecast(table, prepareForecast(table, cell.spec, family), null);
    } else {
      const spec = { ...cell.spec, fit: { ...cell.spec.fit, now } };
      const prep = prepareForecast(table, spec, family);
      f = forecastPrepared(table, prep, (p) => fits.fit(p.trainRows, () => p.data, p.fitOptions));
    }
  } catch (e) {
    return [invalidRow(cell, family, (e as Error).message)];
  }
  if (cell.noFit) {
    return (["best", "mostTrained"] as const).map((b) => ({
      ...toRow(cell, f),
      baseline: b,
      status: f.status === "no-data" || f.status === "no-test" ? f.status : "baseline",
      error: f.status === "no-data" || f.status === "no-test" ? f.error : null,
      are: f.baselines[b].are,
      areFinal: f.baselines[b].areFinal,
      predicted: f.baselines[b].value,
    }));
  }
  const row = toRow(cell, f);
  if (cell.heldOut && f.fit && f.status !== "non-finite") {
    const m = family.models.find((x) => x.name === cell.heldOut);
    if (m) {
      const rows = m.rows.filter((r) => table.tokens[r] >= TEST_FROM * m.maxTokens);
      const pred = predictLoss(f.fit, {
        params: rows.map((r) => table.params[r]),
        tokens: rows.map((r) => table.tokens[r]),
        flops: rows.map((r) => table.flops[r]),
      });
      row.heldOutAre = meanRelativeError(
        rows.map((r) => table.value[r]),
        pred,
      );
    }
  }
  return [row];
}

function toRow(cell: Cell, f: Forecast): ResultRow {
  const p = f.fit?.params ?? {};
  const ok = f.fit !== null && f.status !== "non-finite";
  const val = (k: string) => (ok && k in p ? p[k] : Number.NaN);
  return {
    experiment: cell.experiment,
    protocol: cell.protocol,
    family: f.family,
    target: f.target.model,
    targetParams: f.target.params,
    k: cell.k,
    fraction: f.fraction,
    minTokens: f.minTokens,
    m: cell.m ?? null,
    heldOut: cell.heldOut ?? null,
    baseline: null,
    trainModels: f.train.sizes,
    models: f.train.models.join(";"),
    rows: f.train.rows,
    largest: f.train.largest,
    largestParams: f.train.largestParams,
    scaleUp: f.train.scaleUp,
    flops: f.train.flops,
    status: f.status,
    error: f.error,
    are: f.are,
    areFinal: f.areFinal,
    predicted: f.predicted,
    actual: f.actual,
    heldOutAre: null,
    E: val("E"),
    A: val("A"),
    B: val("B"),
    alpha: val("alpha"),
    beta: val("beta"),
    objective: ok ? (f.fit?.objective.value ?? Number.NaN) : Number.NaN,
    fitMs: f.fit?.timing?.fitMs ?? null,
  };
}

function invalidRow(cell: Cell, family: Family, error: string): ResultRow {
  const target = family.models[family.models.length - 1];
  const nan = Number.NaN;
  return {
    experiment: cell.experiment,
    protocol: cell.protocol,
    family: family.name,
    target: target.name,
    targetParams: target.params,
    k: cell.k,
    fraction: cell.spec.fraction ?? 1,
    minTokens: cell.spec.minTokens ?? 1e10,
    m: cell.m ?? null,
    heldOut: cell.heldOut ?? null,
    baseline: null,
    trainModels: 0,
    models: "",
    rows: 0,
    largest: null,
    largestParams: nan,
    scaleUp: nan,
    flops: 0,
    status: "invalid",
    error,
    are: nan,
    areFinal: nan,
    predicted: nan,
    actual: nan,
    heldOutAre: null,
    E: nan,
    A: nan,
    B: nan,
    alpha: nan,
    beta: nan,
    objective: nan,
    fitMs: null,
  };
}
