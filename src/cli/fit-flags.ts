import { InputError } from "../errors.js";
import type { UncertaintyOptions } from "../estimate/uncertainty.js";
import { HUBER_DELTA } from "../fit/objectives/huber.js";
import type { FitOptions } from "../fit/types.js";
import { lawNames } from "../laws/index.js";
import { numberFlag, parseAssignments } from "./args.js";
import { bool, type Flags, type FlagValues, flagHelp, str } from "./flags.js";

/** Flags that choose a law, an objective and a bootstrap; shared by fit, predict and evaluate. */
export const FIT_FLAGS = {
  law: str("NAME", lawNames.map((n) => (n === "chinchilla" ? `${n} (default)` : n)).join(", ")),
  x: str("COLUMN", "column of the power law: params (default), tokens or flops"),
  objective: str("NAME", "huber-log (default), ls-log, ls, asymmetric-log"),
  delta: str("V", `Huber threshold on log residuals (default ${HUBER_DELTA.toExponential()})`),
  "over-weight": str("K", "asymmetric-log weight on over-estimates (default 4)"),
  fix: str("k=v,...", "hold parameters at given values, e.g. alpha=0.34,beta=0.28"),
  optimizer: str("NAME", "newton (default) or lbfgsb"),
  starts: str("NAME", "vp-grid (default) or epoch-grid (Besiroglu et al. 2024's 4,500 starts)"),
  refine: str("K", "grid points refined by the local optimizer (default 5)"),
  bootstrap: str("K", "resample whole runs K times for percentile intervals (default 0)"),
  seed: str("S", "seed of the resampling (default 0)"),
  level: str("P", "interval level (default 0.95)"),
  workers: str("W", "worker threads for the bootstrap (default: all cores, at most 8)"),
  json: bool("print one JSON object"),
  "no-timing": bool("leave timings out of JSON, for byte-identical output"),
} as const satisfies Flags;

/** Help text for {@link FIT_FLAGS}. */
export const FIT_HELP = flagHelp(FIT_FLAGS);

const COLUMNS = ["params", "tokens", "flops"] as const;
const STARTS = ["vp-grid", "epoch-grid", "given"] as const;

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/** Reads {@link FIT_FLAGS} into fit and bootstrap options. */
export function fitOptionsFromFlags(v: FlagValues<typeof FIT_FLAGS>): {
  fit: FitOptions;
  uncertainty: UncertaintyOptions;
} {
  const x = v.x;
  if (x !== undefined && !oneOf(x, COLUMNS)) {
    throw new InputError(`--x must be params, tokens or flops, got "${x}"`, { field: "--x" });
  }
  const starts = v.starts;
  if (starts !== undefined && !oneOf(starts, STARTS)) {
    throw new InputError(`unknown start strategy "${starts}" (expected ${STARTS.join(" | ")})`, {
      field: "--starts",
    });
  }
  const level = numberFlag(v, "level", { min: 0.5, max: 0.999 });
  const resamples = numberFlag(v, "bootstrap", { integer: true, min: 0, max: 1e6 }) ?? 0;
  // A flag that would do nothing is refused rather than silently ignored.
  const idle = (["level", "seed", "workers"] as const).find((k) => v[k] !== undefined);
  if (resamples === 0 && idle) {
    throw new InputError(`--${idle} does nothing without --bootstrap K`, {
      field: `--${idle}`,
      hint: `add --bootstrap 1000 for intervals, or drop --${idle}`,
    });
  }
  const law = v.law ?? "chinchilla";
  if (x !== undefined && law !== "power") {
    throw new InputError(`--x does nothing with --law ${law}`, {
      field: "--x",
      hint: "--x picks the column of --law power",
    });
  }
  const objective = v.objective;
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
      column: x,
      objective,
      delta: numberFlag(v, "delta", { positive: true }),
      overWeight: numberFlag(v, "over-weight", { positive: true }),
      fix: parseAssignments(v.fix),
      optimizer: v.optimizer,
      starts,
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
