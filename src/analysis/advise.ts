import type { RunTable } from "../data/types.js";
import { count, InputError } from "../errors.js";
import { DEFAULT_MIN_TOKENS } from "../estimate/forecast.js";
import { familyOf } from "../estimate/selection.js";
import { trainingFlops } from "../plan/flops.js";
import {
  type EvidenceFeatures,
  type EvidenceModel,
  type ExpectedAre,
  expectedAre,
} from "./evidence.js";
import { EVIDENCE_MODEL } from "./evidence-coefficients.js";
import { distinctSizes, type GuideCheck, guideChecks } from "./verdict.js";

/** One training run of a ladder. */
export interface LadderRun {
  readonly params: number;
  readonly tokens: number;
  readonly flops: number;
}

/** A candidate ladder: its runs, cost, expected error and the guide's notes on it. */
export interface Ladder {
  readonly runs: LadderRun[];
  readonly cost: { readonly flops: number; readonly fractionOfTarget: number };
  readonly expectedAre: ExpectedAre;
  readonly notes: string[];
}

/** What {@link planLadders} returns (the JSON of `scaleladder advise --target-params …`). */
export interface LadderPlan {
  readonly target: { readonly params: number; readonly tokens: number; readonly flops: number };
  /** The cost/expected-ARE frontier, cheapest first, every ladder within the budget. */
  readonly ladders: Ladder[];
  /** Index of the ladder with the lowest expected median ARE within the budget, or null. */
  readonly recommended: number | null;
  /** Index of the cheapest ladder whose expected median ARE is at most 10% and 5%, or null. */
  readonly cheapestFor: { readonly "0.10": number | null; readonly "0.05": number | null };
}

/** Options of {@link planLadders}. */
export interface PlanLadderOptions {
  readonly targetParams: number;
  readonly targetTokens: number;
  /** Most FLOPs the ladder may cost; none means every ladder up to the target's own cost. */
  readonly budget?: number;
  /** Smallest model worth training; defaults to 20M. */
  readonly minParams?: number;
  /** The early cut the fit will apply; defaults to the guide's 1e10 tokens. */
  readonly minTokens?: number;
  readonly model?: EvidenceModel;
}

const MODEL_COUNTS = [2, 3, 4, 5, 6, 8, 10];
const SCALE_UPS = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const SPREADS = [3, 10, 30, 100];
const PARTIAL = [0.1, 0.2, 0.3];

/**
 * Enumerates candidate ladders for a target (N, D) and scores each with the evidence model: k models
 * log-spaced between N_max/spread and N_max = N_target/scale-up, each trained at the target's
 * tokens per parameter but at least 2× the early cut (so half of each run survives it), checkpoints
 * logged along every run; optionally the target itself trained to 10–30% and fitted with borrowed
 * exponents. Returns the cost/expected-ARE frontier within the budget.
 * @throws InputError for a non-positive target or budget
 */
export function planLadders(o: PlanLadderOptions): LadderPlan {
  const N = o.targetParams;
  const D = o.targetTokens;
  for (const [v, field] of [
    [N, "targetParams"],
    [D, "targetTokens"],
  ] as const)
    if (!(v > 0)) throw new InputError(`${field} must be positive, got ${v}`, { field });
  if (o.budget !== undefined && !(o.budget > 0))
    throw new InputError(`the budget must be positive, got ${o.budget}`, { field: "budget" });
  const model = o.model ?? EVIDENCE_MODEL;
  const minParams = o.minParams ?? 20e6;
  const cut = o.minTokens ?? DEFAULT_MIN_TOKENS;
  const targetFlops = trainingFlops(N, D);
  const ratio = D / N;
  const candidates: Ladder[] = [];
  for (const s of SCALE_UPS) {
    const top = N / s;
    if (top < minParams) continue;
    for (const spread of SPREADS) {
      const bottom = top / spread;
      if (bottom < minParams) continue;
      for (const k of MODEL_COUNTS) {
        const runs = Array.from({ length: k }, (_, i) => {
          const params = bottom * spread ** (k === 1 ? 1 : i / (k - 1));
          const tokens = Math.max(ratio * params, 2 * cut);
          return { params, tokens, flops: trainingFlops(params, tokens) };
        });
        const ladderFlops = runs.reduce((a, r) => a + r.flops, 0);
        const features: EvidenceFeatures = {
          scaleUp: s,
          models: k,
          spread,
          fraction: 1,
          partialTarget: false,
          borrowed: false,
        };
        candidates.push(
          ladder(runs, ladderFlops, targetFlops, model, features, cut, model.maxScaleUp),
        );
        for (const p of PARTIAL) {
          const partial = {
            params: N,
            tokens: p * D,
            flops: trainingFlops(N, p * D),
          };
          const f: EvidenceFeatures = {
            scaleUp: 1,
            models: 1,
            spread: 1,
            fraction: p,
            partialTarget: true,
            borrowed: true,
          };
          const l = ladder(
            [...runs, partial],
            ladderFlops + partial.flops,
            targetFlops,
            model,
            f,
            cut,
            model.maxScaleUp,
          );
          l.notes.push(
            `partial target: train the target to ${Math.round(100 * p)}% of its tokens and fit on its own checkpoints with the exponents borrowed from the ladder (the guide's §5.1; evidence from the borrow experiment)`,
          );
          candidates.push(l);
        }
      }
    }
  }
  const budget = o.budget ?? targetFlops;
  const within = candidates
    .filter((l) => l.cost.flops <= budget)
    .sort((a, b) => a.cost.flops - b.cost.flops || a.expectedAre.median - b.expectedAre.median);
  const frontier: Ladder[] = [];
  for (const l of within)
    if (
      frontier.length === 0 ||
      l.expectedAre.median < frontier[frontier.length - 1].expectedAre.median
    )
      frontier.push(l);
  const cheapestFor = (tau: number) => {
    const i = frontier.findIndex((l) => l.expectedAre.median <= tau);
    return i < 0 ? null : i;
  };
  return {
    target: { params: N, tokens: D, flops: targetFlops },
    ladders: frontier,
    // The frontier's last ladder has the lowest expected median within the budget.
    recommended: frontier.length ? frontier.length - 1 : null,
    cheapestFor: { "0.10": cheapestFor(0.1), "0.05": cheapestFor(0.05) },
  };
}

function ladder(
  runs: LadderRun[],
  flops: number,
  targetFlops: number,
  model: EvidenceModel,
  f: EvidenceFeatures,
  cut: number,
  maxScaleUp: number,
): Ladder {
  const notes: string[] = [];
  if (!f.partialTarget) {
    notes.push(
      f.models >= 5
        ? `${f.models} models: at least 5, as the guide advises`
        : `${f.models} models: fewer than the guide's 5; A and α are poorly identified`,
      `sizes span ${f.spread}×: a spread of sizes beats more models of similar size`,
    );
    if (f.scaleUp > maxScaleUp)
      notes.push(
        `scale-up ${f.scaleUp}× is beyond the largest in the evidence (${maxScaleUp}×): the band extrapolates`,
      );
  }
  notes.push(
    `log checkpoints along every run and drop those at or below ${cut.toExponential(0)} tokens (the guide's early cut); every run trains past 2× the cut`,
  );
  return {
    runs,
    cost: { flops, fractionOfTarget: flops / targetFlops },
    expectedAre: expectedAre(model, f),
    notes,
  };
}

/** A cheapest addition to a ladder that brings the expected median ARE to a threshold. */
export interface Addition {
  readonly threshold: number;
  readonly run: LadderRun | null;
  readonly expectedAre: ExpectedAre | null;
  /** The runs one has are already expected to reach the threshold; no addition needed. */
  readonly already: boolean;
}

/** What {@link judgeRuns} returns: the expected error of a forecast from these runs, and advice. */
export interface RunsJudgement {
  readonly family: string;
  readonly target: { readonly params: number; readonly tokens: number; readonly flops: number };
  readonly current: {
    readonly features: EvidenceFeatures;
    readonly expectedAre: ExpectedAre;
    readonly checks: GuideCheck[];
  };
  readonly additions: Addition[];
}

/** The evidence features of a forecast of N from a family's runs smaller than the target. */
export function runsFeatures(
  table: RunTable,
  family: string,
  targetParams: number,
  minTokens = DEFAULT_MIN_TOKENS,
  model: EvidenceModel = EVIDENCE_MODEL,
): {
  features: EvidenceFeatures;
  checks: GuideCheck[];
  largest: { params: number; tokens: number };
} {
  const fam = familyOf(table, family);
  const all = fam.models.filter((m) => m.params < targetParams);
  if (all.length === 0)
    throw new InputError(`family "${family}" has no model smaller than the target`, {
      field: "targetParams",
      hint: "advise judges a forecast of a larger model from smaller runs",
    });
  // Runs that end at or before the early cut give the fit nothing.
  const models = all.filter((m) => m.maxTokens > minTokens);
  const short = all.length - models.length;
  const used = models.length ? models : all;
  const sizes = distinctSizes(used.map((m) => m.params));
  const largest = used[used.length - 1];
  const features: EvidenceFeatures = {
    scaleUp: targetParams / largest.params,
    models: sizes.length,
    spread: sizes[sizes.length - 1] / Math.max(sizes[0], 1),
    fraction: 1,
    partialTarget: false,
    borrowed: false,
  };
  const checks = guideChecks(
    {
      runParams: used.map((m) => m.params),
      maxTokens: Math.max(...used.map((m) => m.maxTokens)),
      earlyRows: 0,
      minTokens,
    },
    targetParams,
    model,
  );
  if (short > 0)
    checks.push({
      id: "runs-below-cut",
      message: `${count(short, "run")} ${short === 1 ? "ends" : "end"} at or before ${minTokens.toExponential(0)} tokens: the guide's early cut leaves nothing of ${short === 1 ? "it; train it" : "them; train them"} longer`,
    });
  return { features, checks, largest: { params: largest.params, tokens: largest.maxTokens } };
}

/**
 * Judges a forecast of (N, D) from a family's runs: the expected ARE, the guide's checks, and the
 * cheapest single added run (a size between the largest trained and the target, at the largest
 * run's tokens per parameter) bringing the expected median ARE to 10% and to 5%.
 */
export function judgeRuns(
  table: RunTable,
  family: string,
  targetParams: number,
  targetTokens: number,
  minTokens = DEFAULT_MIN_TOKENS,
  model: EvidenceModel = EVIDENCE_MODEL,
): RunsJudgement {
  const { features, checks, largest } = runsFeatures(table, family, targetParams, minTokens, model);
  const ratio = largest.tokens / largest.params;
  const smallest = largest.params / features.spread;
  const now = expectedAre(model, features);
  const additions: Addition[] = [0.1, 0.05].map((threshold) => {
    if (now.median <= threshold) return { threshold, run: null, expectedAre: now, already: true };
    let best: Addition = { threshold, run: null, expectedAre: null, already: false };
    for (let i = 1; i <= 40; i++) {
      const params = largest.params * (targetParams / largest.params) ** (i / 41);
      const tokens = Math.max(ratio * params, 2 * minTokens);
      const e = expectedAre(model, {
        ...features,
        scaleUp: targetParams / params,
        models: features.models + 1,
        spread: params / smallest,
      });
      if (e.median <= threshold) {
        const run = { params, tokens, flops: trainingFlops(params, tokens) };
        if (!best.run || run.flops < best.run.flops)
          best = { threshold, run, expectedAre: e, already: false };
      }
    }
    return best;
  });
  return {
    family,
    target: {
      params: targetParams,
      tokens: targetTokens,
      flops: trainingFlops(targetParams, targetTokens),
    },
    current: { features, expectedAre: now, checks },
    additions,
  };
}
