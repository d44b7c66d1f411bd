import { seededGaussian } from "../../math/random.js";
import { RunTableBuilder } from "../corpus/rows.js";
import type { RunTable } from "../types.js";
import { checkpointLoss, DEFAULT_CURVE } from "./curve.js";

/** The family name of the built-in ladder; "simulated" is part of it so it cannot pass for real data. */
export const LADDER_FAMILY = "simulated-chinchilla";

/**
 * Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models", arXiv 2203.15556) Approach 3
 * coefficients, as rounded in the paper: L(N, D) = E + A/N^α + B/D^β.
 */
export const HOFFMANN_APPROACH3 = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 } as const;

/** The law the ladder is drawn from. */
export function ladderLaw(N: number, D: number): number {
  const h = HOFFMANN_APPROACH3;
  return h.E + h.A / N ** h.alpha + h.B / D ** h.beta;
}

/** Parameter counts of the small models: 8 sizes, log-spaced from 50M to 1.5B. */
export const LADDER_SIZES: readonly number[] = Array.from({ length: 8 }, (_, i) =>
  Math.round(50e6 * 30 ** (i / 7)),
);

/** The held-out large model the ladder is meant to predict. */
export const LADDER_TARGET = 7e9;

/** Tokens per optimizer step: 512 sequences × 2048 tokens. */
export const LADDER_BATCH_TOKENS = 1_048_576;

/**
 * Seed-to-seed noise, multiplicative on the loss of a whole run: σ = 1%. The Hitchhiker's Guide
 * (Choshen et al. 2025, §4) reports seed-to-seed variation "up to 4%" (3.5% in MultiBERTs); with
 * σ = 1%, the spread of a handful of seeds (≈ ±2σ) is that 3.5–4%. It is drawn once per run, so all
 * checkpoints of a run share it, as a seed's effect does.
 */
export const SEED_NOISE = 0.01;

/** Evaluation noise of one checkpoint, multiplicative: σ = 0.2%, independent per checkpoint. */
export const EVAL_NOISE = 0.002;

/** Options of {@link builtinLadder}. */
export interface LadderOptions {
  /** Training tokens per parameter at the end of every run; defaults to 25 (a bit past Chinchilla's 20). */
  tokensPerParam?: number;
  /** Training runs (seeds) per size; defaults to 1. */
  seedsPerSize?: number;
}

/**
 * The built-in ladder: a SIMULATED model family drawn from Hoffmann et al.'s Approach 3 law, for the
 * demo and for tests. Eight small models (50M–1.5B) and one 7B target, each trained to 25 tokens per
 * parameter, with 23 checkpoints per run (3 early ones at 0.5%, 1% and 2% of training, then every
 * 5%). Each checkpoint's loss follows a warm-up + cosine learning-rate curve toward the law's value
 * at its token count (see curve.ts), times a per-run seed offset (σ 1%) and per-checkpoint
 * evaluation noise (σ 0.2%).
 *
 * Pure and deterministic: the same seed gives the same table. The seed column is the generator seed
 * (`SEED-k` for the k-th extra run of a size). Every row has family
 * `simulated-chinchilla`, source and dataset `simulated`, metric `loss`.
 * @example builtinLadder(0).length // → 207 (9 runs × 23 checkpoints)
 */
export function builtinLadder(seed = 0, options: LadderOptions = {}): RunTable {
  const perParam = options.tokensPerParam ?? 25;
  const seeds = options.seedsPerSize ?? 1;
  const g = seededGaussian(seed);
  const out = new RunTableBuilder("builtin:ladder", "simulated");
  for (const N of [...LADDER_SIZES, LADDER_TARGET]) {
    const totalSteps = Math.round((perParam * N) / LADDER_BATCH_TOKENS);
    const total = totalSteps * LADDER_BATCH_TOKENS;
    for (let s = 0; s < seeds; s++) {
      const offset = Math.exp(SEED_NOISE * g.normal());
      for (const p of CHECKPOINTS) {
        const step = Math.max(1, Math.round(p * totalSteps));
        const tokens = step * LADDER_BATCH_TOKENS;
        const clean = checkpointLoss(
          ladderLaw,
          HOFFMANN_APPROACH3.E,
          N,
          tokens,
          total,
          DEFAULT_CURVE,
        );
        out.push({
          family: LADDER_FAMILY,
          model: ladderModelName(N),
          params: N,
          tokens,
          metric: "loss",
          value: clean * offset * Math.exp(EVAL_NOISE * g.normal()),
          seed: s === 0 ? String(seed) : `${seed}-${s}`,
          step,
          arch: "dec",
          dataset: "simulated",
        });
      }
    }
  }
  return out.build();
}

/** Checkpoints as fractions of training: 0.5%, 1%, 2%, then every 5% up to the end. */
const CHECKPOINTS: readonly number[] = [
  0.005,
  0.01,
  0.02,
  ...Array.from({ length: 20 }, (_, i) => (i + 1) / 20),
];

/** `sim-50M`, `sim-1.5B`, `sim-7B`: size in the name, "sim" to keep it from passing for a real model. */
export function ladderModelName(N: number): string {
  const [v, unit] = N >= 1e9 ? [N / 1e9, "B"] : [N / 1e6, "M"];
  return `sim-${Number(v.toPrecision(v >= 100 ? 3 : 2))}${unit}`;
}
