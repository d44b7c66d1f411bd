import { bool, type FlagValues, str } from "./flags.js";
import { BUDGET_FLAGS } from "./flops.js";
import { RUNS_FLAGS } from "./runs-input.js";

/** A law and a budget: plan from a preset or a fit. */
const { budget: _budget, ...HARDWARE_FLAGS } = BUDGET_FLAGS;

export const MODEL_FLAGS = {
  budget: str("C", "budget in FLOPs (or --gpus K --days T --gpu NAME [--mfu U])"),
  ...HARDWARE_FLAGS,
  preset: str(
    "NAME",
    `hoffmann (Hoffmann et al. 2022), epoch (Besiroglu et al. 2024),
kaplan (Kaplan et al. 2020: N ∝ C^0.73), muennighoff (data-constrained)`,
  ),
  fit: str(
    "FILE",
    `the JSON of \`scaleladder fit --json\`; with bootstrap, intervals need the
replicates: give the fitted runs with --runs FILE (and its column flags)`,
  ),
  runs: str("FILE", "the runs the --fit JSON was fitted to (refit for its bootstrap replicates)"),
  "target-loss": str("L", "the least compute that reaches loss L, with its N and D"),
  compare: bool("Kaplan's vs Chinchilla's rule at budgets ×1, ×10, ×100, ×1000"),
  "unique-tokens": str("U", "data-constrained plan: best epochs and size with U unique tokens"),
  "inference-tokens": str(
    "T",
    "inference-aware plan: minimise 6ND + 2N·T at equal loss (Sardana et al. 2024)",
  ),
  json: bool("print one JSON object"),
  plot: str(
    "FILE",
    `also write the figure (.svg, .png, .vl.json, .html): iso-loss contours
of the law; with --approach 2 the IsoFLOP profiles`,
  ),
} as const;

/** Planning from runs: the four approaches and their grouping and resampling. */
export const DATA_FLAGS = {
  approach: str("1|2|3|data-constrained", undefined, {
    rows: `  --approach 1            lower envelope of training curves → N_opt, D_opt power laws
  --approach 2            IsoFLOP parabolas per budget → power laws (prints Approach 3 beside it)
  --approach 3            fit the Chinchilla law, then the closed form
  --approach data-constrained   fit Muennighoff et al.'s law (needs unique tokens: a unique_tokens
                          column, --unique-tokens-col NAME, or a store that has them)`,
  }),
  "budget-col": str(
    "NAME",
    "group Approach 2 by this column (default: automatic clustering of FLOPs)",
  ),
  budgets: str("C1,C2,...", "group Approach 2 by these nominal budgets (±0.05 decades)"),
  bandwidth: str("W", "clustering bandwidth in decades of FLOPs (default 0.03)"),
  "min-group": str("K", "fewest runs in a cluster of Approach 2 (default 5)"),
  "unique-tokens-col": str("NAME", "column of unique tokens (default unique_tokens)"),
  "drop-highest": str("K", "drop the K highest-loss rows first (Besiroglu et al. 2024 drop 5)"),
  bootstrap: str("K", "percentile intervals (default 0 resamples)", {
    label: "--bootstrap K --seed S --level P ",
  }),
  seed: str("S"),
  level: str("P"),
  workers: str("W", "worker threads for the bootstrap (default: all cores, at most 8)"),
} as const;

/** Reading runs, as for `scaleladder fit` (unique tokens have their own row above). */
const { "unique-tokens-col": _unique, ...READ_FLAGS } = RUNS_FLAGS;

export { READ_FLAGS };

export const PLAN_OPTIONS = { ...MODEL_FLAGS, ...DATA_FLAGS, ...READ_FLAGS } as const;

/** Values of {@link PLAN_OPTIONS}. */
export type PlanValues = FlagValues<typeof PLAN_OPTIONS>;
