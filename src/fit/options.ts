import { closest, InputError } from "../errors.js";
import { getLaw } from "../laws/index.js";
import type { Law } from "../laws/types.js";
import { getObjective, type Objective } from "./objectives/index.js";
import { getOptimizer, type Optimizer } from "./optimizers/index.js";
import type { FitData, FitInput, FitOptions, StartsName } from "./types.js";

const FIELDS = ["params", "tokens", "flops", "loss", "uniqueTokens", "run"] as const;
const COLUMNS = ["params", "tokens", "flops"] as const;

/**
 * The fit's input as typed arrays, after checking that it is an object of array-like columns,
 * that no field is misspelled, and that the law's inputs and `loss` are there; `flops` is derived
 * as 6·N·D when absent, and columns the law does not read may be absent (filled with NaN).
 * @throws InputError naming the missing, misspelled or malformed field
 */
export function fitData(input: FitInput, law: Law): FitData {
  if (!input || typeof input !== "object") {
    throw new InputError(
      `expected an object of columns, got ${input === null ? "null" : typeof input}`,
      {
        field: "data",
        hint: "pass { params, tokens, loss } with one number per row",
      },
    );
  }
  const given = input as unknown as Record<string, unknown>;
  // Other fields may ride along (a table's run names); one that looks like a misspelling of a
  // missing field is named when that field is found missing.
  const others = Object.keys(given).filter((k) => !(FIELDS as readonly string[]).includes(k));
  const missing = (key: string, hint: string) => {
    const typo = others.find((k) => closest(k, [key]) === key);
    return new InputError(`the fit data has no ${key}`, {
      field: key,
      hint: typo ? `it has "${typo}": did you mean "${key}"?` : hint,
    });
  };
  const column = (key: (typeof FIELDS)[number]): Float64Array | undefined => {
    const v = given[key];
    if (v === undefined) return undefined;
    if (
      typeof v !== "object" ||
      v === null ||
      typeof (v as ArrayLike<number>).length !== "number"
    ) {
      throw new InputError(`${key} must be an array of numbers, got ${typeof v}`, {
        field: key,
        hint: "a number[] or Float64Array, one entry per row",
      });
    }
    // Typed columns are used as given: a fit allocates nothing it does not need.
    return v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
  };
  const loss = column("loss");
  if (!loss) throw missing("loss", "add loss: one value per row");
  const params = column("params");
  const tokens = column("tokens");
  const flops =
    column("flops") ?? (params && tokens ? params.map((n, i) => 6 * n * tokens[i]) : undefined);
  const cols = { params, tokens, flops };
  for (const c of law.inputs) {
    if (!cols[c]) {
      throw missing(
        c,
        `law ${law.name} reads it${c === "flops" ? "; add flops, or params and tokens (6·N·D)" : ""}`,
      );
    }
  }
  const n = loss.length;
  const filled = (v: Float64Array | undefined) => v ?? new Float64Array(n).fill(Number.NaN);
  const uniqueTokens = column("uniqueTokens");
  const run =
    input.run === undefined || input.run instanceof Int32Array
      ? input.run
      : Int32Array.from(input.run);
  return {
    params: filled(params),
    tokens: filled(tokens),
    flops: filled(flops),
    loss,
    ...(uniqueTokens ? { uniqueTokens } : {}),
    ...(run ? { run } : {}),
  };
}

/**
 * Rows beyond which the start search runs on a subset: above every table the meta-analysis fits
 * (GPT-3's 12k digitised points), so those fits are unchanged.
 */
export const SEARCH_ROWS = 100_000;

/**
 * Rows of that subset: every run keeps checkpoints along its whole curve (10 of 1,000 in a 2M-row
 * sweep), so the subset's optima lie in the basins of the full table's; Newton then needs two or
 * three passes over all rows.
 */
export const SUBSET_ROWS = 20_000;

/** {@link FitOptions} with every default filled in and every name resolved, and the data as read. */
export interface ResolvedFitOptions {
  readonly data: FitData;
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
  readonly subsetRows: number;
  readonly maxIterations?: number;
  readonly ftol?: number;
  readonly gtol?: number;
  readonly now?: () => number;
}

/**
 * Validates data and options once, at the entry, so the numeric loops can trust their input.
 * @throws InputError for unknown names, bad fixed values, mismatched or invalid data
 */
export function resolveFitOptions(input: FitInput, options: FitOptions = {}): ResolvedFitOptions {
  if (options.column !== undefined && !(COLUMNS as readonly string[]).includes(options.column)) {
    throw new InputError(`unknown column "${options.column}" (expected ${COLUMNS.join(" | ")})`, {
      field: "column",
      hint: "the power law runs over params, tokens or flops",
    });
  }
  const law =
    typeof options.law === "object"
      ? options.law
      : getLaw(options.law ?? "chinchilla", { column: options.column });
  const data = fitData(input, law);
  const objective = getObjective(options.objective ?? "huber-log", {
    delta: options.delta,
    overWeight: options.overWeight,
  });
  const starts = options.starts ?? "vp-grid";
  if (starts !== "vp-grid" && starts !== "epoch-grid" && starts !== "given") {
    throw new InputError(
      `unknown start strategy "${starts}" (expected vp-grid | epoch-grid | given)`,
      { field: "starts" },
    );
  }
  if (starts === "given" && !options.extraStarts?.length) {
    throw new InputError('start strategy "given" needs at least one start', {
      field: "starts",
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
          field: "fix",
          hint: near ? `did you mean "${near}"?` : `fix one of them, e.g. ${names[0]}`,
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
          field: "fix",
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
        hint: "add runs, or fix some parameters",
      },
    );
  }
  const refine = options.refine ?? (starts === "epoch-grid" ? Infinity : 5);
  if (!(refine >= 1))
    throw new InputError(`refine must be at least 1, got ${refine}`, { field: "refine" });
  const searchRows = options.searchRows ?? SEARCH_ROWS;
  if (!(searchRows >= 1))
    throw new InputError(`searchRows must be at least 1, got ${searchRows}`, {
      field: "searchRows",
    });
  const subsetRows = options.subsetRows ?? SUBSET_ROWS;
  if (!(Number.isInteger(subsetRows) && subsetRows >= 1))
    throw new InputError(`subsetRows must be a whole number of at least 1, got ${subsetRows}`, {
      field: "subsetRows",
    });
  if (starts === "epoch-grid" && law.name !== "chinchilla") {
    throw new InputError(
      `the Epoch grid is defined for the chinchilla law only, not "${law.name}"`,
      {
        field: "starts",
        hint: "use the vp-grid starts",
      },
    );
  }
  for (const [k, start] of (options.extraStarts ?? []).entries()) {
    if (start.length !== names.length) {
      throw new InputError(
        `extraStarts[${k}] has ${start.length} values; law ${law.name} has ${names.length} parameters (${names.join(", ")})`,
        { field: "extraStarts", hint: "give every parameter, in the law's order, natural units" },
      );
    }
    law.params.forEach((spec, j) => {
      const v = start[j];
      if (!Number.isFinite(v) || v < spec.lower || v > spec.upper) {
        throw new InputError(
          `extraStarts[${k}] puts ${spec.name} at ${v}, outside [${spec.lower}, ${spec.upper}]`,
          { field: "extraStarts" },
        );
      }
    });
  }
  if (
    options.maxIterations !== undefined &&
    !(Number.isInteger(options.maxIterations) && options.maxIterations >= 1)
  ) {
    throw new InputError(
      `maxIterations must be a whole number of at least 1, got ${options.maxIterations}`,
      {
        field: "maxIterations",
      },
    );
  }
  for (const key of ["ftol", "gtol"] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new InputError(`${key} must be a finite number ≥ 0, got ${v}`, { field: key });
    }
  }
  return {
    data,
    law,
    objective,
    optimizer,
    starts,
    refine,
    searchRows,
    subsetRows,
    fixed,
    extraStarts: options.extraStarts ?? [],
    polish: options.polish ?? true,
    maxIterations: options.maxIterations,
    ftol: options.ftol,
    gtol: options.gtol,
    now: options.now,
  };
}
