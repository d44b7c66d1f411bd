import { closest, InputError } from "../errors.js";
import { getLaw } from "../laws/index.js";
import type { Law } from "../laws/types.js";
import { getObjective, type Objective } from "./objectives/index.js";
import { getOptimizer, type Optimizer } from "./optimizers/index.js";
import type { FitData, FitOptions, StartsName } from "./types.js";

/**
 * Rows beyond which the start search runs on a subset: above every table the meta-analysis fits
 * (GPT-3's 12k digitised points), so those fits are unchanged.
 */
export const SEARCH_ROWS = 100_000;

/** {@link FitOptions} with every default filled in and every name resolved. */
export interface ResolvedFitOptions {
  readonly law: Law;
  readonly objective: Objective;
  readonly optimizer: Optimizer;
  readonly starts: StartsName;
  readonly refine: number;
  /** Value per parameter, NaN where free. */
  readonly fixed: Float64Array;
  readonly extraStarts: readonly ArrayLike<number>[];
  readonly polish: boolean;
  readonly searchRows: number;
  readonly maxIterations?: number;
  readonly ftol?: number;
  readonly gtol?: number;
  readonly now?: () => number;
}

/**
 * Validates data and options once, at the entry, so the numeric loops can trust their input.
 * @throws InputError for unknown names, bad fixed values, mismatched or invalid data
 */
export function resolveFitOptions(data: FitData, options: FitOptions = {}): ResolvedFitOptions {
  const law =
    typeof options.law === "object"
      ? options.law
      : getLaw(options.law ?? "chinchilla", { column: options.column });
  const objective = getObjective(options.objective ?? "huber-log", {
    delta: options.delta,
    overWeight: options.overWeight,
  });
  const starts = options.starts ?? "vp-grid";
  if (starts !== "vp-grid" && starts !== "epoch-grid" && starts !== "given") {
    throw new InputError(
      `unknown start strategy "${starts}" (expected vp-grid | epoch-grid | given)`,
      { field: "--starts" },
    );
  }
  if (starts === "given" && !options.extraStarts?.length) {
    throw new InputError('start strategy "given" needs at least one start', {
      field: "--starts",
      hint: "pass extraStarts",
    });
  }
  const optimizer = getOptimizer(
    options.optimizer ?? (starts === "epoch-grid" ? "lbfgsb" : "newton"),
  );
  const names = law.params.map((p) => p.name);
  const fixed = new Float64Array(names.length).fill(Number.NaN);
  for (const [name, value] of Object.entries(options.fix ?? {})) {
    const j = names.indexOf(name);
    if (j < 0) {
      const near = closest(name, names);
      throw new InputError(
        `law ${law.name} has no parameter "${name}" (it has ${names.join(", ")})`,
        {
          field: "--fix",
          hint: near ? `did you mean "${near}"?` : `write --fix ${names[0]}=value`,
        },
      );
    }
    const spec = law.params[j];
    if (
      !Number.isFinite(value) ||
      value < spec.lower ||
      value > spec.upper ||
      (spec.scale === "log" && value <= 0)
    ) {
      throw new InputError(
        `fixed ${name}=${value} is outside its range [${spec.lower}, ${spec.upper}]`,
        {
          field: "--fix",
          hint: `give ${name} a finite value${spec.scale === "log" ? " above 0" : ""}`,
        },
      );
    }
    fixed[j] = value;
  }
  const n = data.loss.length;
  for (const col of ["params", "tokens", "flops"] as const) {
    if (data[col].length !== n) {
      throw new InputError(`column ${col} has ${data[col].length} values but loss has ${n}`, {
        field: col,
      });
    }
  }
  const used = new Set<string>([...law.inputs, "loss"]);
  for (const col of used) {
    const v = col === "loss" ? data.loss : data[col as "params" | "tokens" | "flops"];
    for (let i = 0; i < n; i++) {
      if (!(v[i] > 0) || !Number.isFinite(v[i])) {
        throw new InputError(
          `${col} must be a positive finite number, got ${v[i]} at row ${i + 1}`,
          {
            field: col,
            hint: "filter such rows out before fitting",
          },
        );
      }
    }
  }
  const free = Array.from(fixed).filter(Number.isNaN).length;
  if (n < free) {
    throw new InputError(
      `${n} observations cannot determine ${free} free parameters of ${law.name}`,
      {
        field: "data",
        hint: "add runs, or fix some parameters with --fix",
      },
    );
  }
  const refine = options.refine ?? (starts === "epoch-grid" ? Infinity : 5);
  if (!(refine >= 1))
    throw new InputError(`refine must be at least 1, got ${refine}`, { field: "--refine" });
  const searchRows = options.searchRows ?? SEARCH_ROWS;
  if (!(searchRows >= 1))
    throw new InputError(`searchRows must be at least 1, got ${searchRows}`, {
      field: "searchRows",
    });
  return {
    law,
    objective,
    optimizer,
    starts,
    refine,
    searchRows,
    fixed,
    extraStarts: options.extraStarts ?? [],
    polish: options.polish ?? true,
    maxIterations: options.maxIterations,
    ftol: options.ftol,
    gtol: options.gtol,
    now: options.now,
  };
}
