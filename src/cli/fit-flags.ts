import { InputError } from "../errors.js";
import type { UncertaintyOptions } from "../estimate/uncertainty.js";
import type { FitOptions } from "../fit/types.js";
import { numberFlag, parseAssignments } from "./args.js";

/** Flags that choose a law, an objective and a bootstrap; shared by fit, predict and evaluate. */
export const FIT_OPTIONS = {
  law: { type: "string" },
  x: { type: "string" },
  objective: { type: "string" },
  delta: { type: "string" },
  "over-weight": { type: "string" },
  fix: { type: "string" },
  optimizer: { type: "string" },
  starts: { type: "string" },
  refine: { type: "string" },
  bootstrap: { type: "string" },
  seed: { type: "string" },
  level: { type: "string" },
  workers: { type: "string" },
  json: { type: "boolean" },
  "no-timing": { type: "boolean" },
} as const;

/** Help text for {@link FIT_OPTIONS}. */
export const FIT_HELP = `  --law NAME          chinchilla (default), chinchilla-tied, kaplan-n, kaplan-d, kaplan-c, kaplan-nd, compute, compute-pure, power
  --x COLUMN          column of the power law: params (default), tokens or flops
  --objective NAME    huber-log (default), ls-log, ls, asymmetric-log
  --delta V           Huber threshold on log residuals (default 1e-3)
  --over-weight K     asymmetric-log weight on over-estimates (default 4)
  --fix k=v,...       hold parameters at given values, e.g. alpha=0.34,beta=0.28
  --optimizer NAME    newton (default) or lbfgsb
  --starts NAME       vp-grid (default) or epoch-grid (Besiroglu et al. 2024's 4,500 starts)
  --refine K          grid points refined by the local optimizer (default 5)
  --bootstrap K       resample whole runs K times for percentile intervals (default 0)
  --seed S            seed of the resampling (default 0)
  --level P           interval level (default 0.95)
  --workers W         worker threads for the bootstrap (default: all cores)
  --json              print one JSON object
  --no-timing         leave timings out of JSON, for byte-identical output`;

/** Reads {@link FIT_OPTIONS} into fit and bootstrap options. */
export function fitOptionsFromFlags(v: Record<string, unknown>): {
  fit: FitOptions;
  uncertainty: UncertaintyOptions;
} {
  const x = v.x as string | undefined;
  if (x !== undefined && !["params", "tokens", "flops"].includes(x)) {
    throw new InputError(`--x must be params, tokens or flops, got "${x}"`, { field: "--x" });
  }
  const level = numberFlag(v, "level", { min: 0.5, max: 0.999 });
  const resamples = numberFlag(v, "bootstrap", { integer: true, min: 0, max: 1e6 }) ?? 0;
  // A flag that would do nothing is refused rather than silently ignored.
  const idle = ["level", "seed", "workers"].find((k) => v[k] !== undefined);
  if (resamples === 0 && idle) {
    throw new InputError(`--${idle} does nothing without --bootstrap K`, {
      field: `--${idle}`,
      hint: `add --bootstrap 1000 for intervals, or drop --${idle}`,
    });
  }
  const law = (v.law as string | undefined) ?? "chinchilla";
  if (x !== undefined && law !== "power") {
    throw new InputError(`--x does nothing with --law ${law}`, {
      field: "--x",
      hint: "--x picks the column of --law power",
    });
  }
  const objective = v.objective as string | undefined;
  if (v.delta !== undefined && objective !== undefined && objective !== "huber-log") {
    throw new InputError(`--delta does nothing with --objective ${objective}`, {
      field: "--delta",
      hint: "--delta is the threshold of huber-log",
    });
  }
  if (v["over-weight"] !== undefined && objective !== "asymmetric-log") {
    throw new InputError(
      `--over-weight does nothing with --objective ${objective ?? "huber-log"}`,
      {
        field: "--over-weight",
        hint: "add --objective asymmetric-log, or drop --over-weight",
      },
    );
  }
  return {
    fit: {
      law,
      column: x as FitOptions["column"],
      objective: v.objective as string | undefined,
      delta: numberFlag(v, "delta", { positive: true }),
      overWeight: numberFlag(v, "over-weight", { positive: true }),
      fix: parseAssignments(v.fix as string | undefined),
      optimizer: v.optimizer as string | undefined,
      starts: v.starts as FitOptions["starts"],
      refine: numberFlag(v, "refine", { integer: true, min: 1 }),
    },
    uncertainty: {
      resamples,
      seed: numberFlag(v, "seed", { integer: true, min: 0 }) ?? 0,
      level,
      workers: numberFlag(v, "workers", { integer: true, min: 1, max: 64 }),
    },
  };
}
