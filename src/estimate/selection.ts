import type { RunTable } from "../data/types.js";
import { closest, InputError } from "../errors.js";

/** One model (training run) of a family: its rows sorted by tokens. */
export interface FamilyModel {
  readonly name: string;
  readonly params: number;
  /** Row indices into the table, in increasing tokens. */
  readonly rows: readonly number[];
  /** Most tokens seen by the run (its last checkpoint). */
  readonly maxTokens: number;
}

/** A scaled family: its models sorted by size, then tokens, then name. */
export interface Family {
  readonly name: string;
  readonly metric: string;
  readonly models: readonly FamilyModel[];
}

/**
 * Collects one family's models from a run table, for one metric (by default the family's only or
 * most common metric). Runs are (model, seed) pairs; seeds of one model are kept apart by suffixing
 * the seed when a model has several.
 * @throws InputError naming the closest family when `name` is absent
 */
export function familyOf(table: RunTable, name: string, metric?: string): Family {
  const rowsOf = new Map<string, number[]>();
  const metrics = new Map<string, number>();
  for (let i = 0; i < table.length; i++) {
    if (table.family[i] !== name) continue;
    metrics.set(table.metric[i], (metrics.get(table.metric[i]) ?? 0) + 1);
  }
  if (metrics.size === 0) {
    const names = familyNames(table);
    const near = closest(name, names);
    throw new InputError(`no family "${name}" in ${table.origin}`, {
      field: "family",
      hint: near
        ? `did you mean "${near}"?`
        : `families: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", …" : ""}`,
    });
  }
  const m = metric ?? [...metrics.entries()].sort((a, b) => b[1] - a[1])[0][0];
  if (!metrics.has(m)) {
    throw new InputError(
      `family "${name}" has no metric "${m}" (it has ${[...metrics.keys()].join(", ")})`,
      { field: "metric" },
    );
  }
  const seedsOf = new Map<string, Set<string>>();
  for (let i = 0; i < table.length; i++) {
    if (table.family[i] !== name || table.metric[i] !== m) continue;
    const s = seedsOf.get(table.model[i]) ?? new Set<string>();
    s.add(table.seed[i]);
    seedsOf.set(table.model[i], s);
  }
  for (let i = 0; i < table.length; i++) {
    if (table.family[i] !== name || table.metric[i] !== m) continue;
    const several = (seedsOf.get(table.model[i])?.size ?? 1) > 1;
    const key = several ? `${table.model[i]}#seed${table.seed[i]}` : table.model[i];
    const list = rowsOf.get(key) ?? [];
    list.push(i);
    rowsOf.set(key, list);
  }
  const models = [...rowsOf.entries()].map(([key, rows]) => {
    rows.sort((a, b) => table.tokens[a] - table.tokens[b]);
    return {
      name: key,
      params: table.params[rows[0]],
      rows,
      maxTokens: table.tokens[rows[rows.length - 1]],
    };
  });
  // By size, then tokens, then name: the order (and so the fit's row order) is the same whatever
  // order the rows came in, from a file, the store or the corpus.
  models.sort(
    (a, b) =>
      a.params - b.params ||
      a.maxTokens - b.maxTokens ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { name, metric: m, models };
}

/** Family names in order of first appearance. */
export function familyNames(table: RunTable): string[] {
  return [...new Set(table.family)];
}

/** Which models a forecast trains on (besides the target). */
export type TrainingModels =
  | { readonly kind: "smallest"; readonly k?: number }
  | { readonly kind: "largest"; readonly k?: number }
  /** k consecutive models of the pool ending at pool index `end` (default: the last one). */
  | { readonly kind: "window"; readonly k: number; readonly end?: number }
  | { readonly kind: "list"; readonly models: readonly string[] };

/**
 * Resolves the training models: the pool is every model strictly smaller than the target (or, when
 * scaling down, larger), sorted by size; `k` defaults to the whole pool. Runs of the target's own
 * size (an LR sweep, other seeds) are never in the pool: they would let the fit see the answer, and
 * which of them is "the target" would depend on row order. A `list` may still name them.
 * @throws InputError for unknown model names or a k the pool cannot supply
 */
export function chooseModels(
  family: Family,
  target: FamilyModel,
  choice: TrainingModels,
): FamilyModel[] {
  const others = family.models.filter((m) => m !== target);
  if (choice.kind === "list") {
    return choice.models.map((name) => {
      const m = others.find((o) => o.name === name);
      if (!m) {
        const near = closest(
          name,
          others.map((o) => o.name),
        );
        throw new InputError(`family ${family.name} has no training model "${name}"`, {
          field: "train",
          hint: near
            ? `did you mean "${near}"?`
            : `models: ${others.map((o) => o.name).join(", ")}`,
        });
      }
      return m;
    });
  }
  const pool = family.models.filter((m) =>
    choice.kind === "largest" ? m.params > target.params : m.params < target.params,
  );
  const k = choice.k ?? pool.length;
  if (!(k >= 1 && k <= pool.length)) {
    throw new InputError(
      `cannot take ${k} training models: ${pool.length} ${choice.kind === "largest" ? "larger" : "smaller"} than ${target.name}`,
      {
        field: "train",
        hint: pool.length ? `take 1 to ${pool.length}` : "choose another target",
      },
    );
  }
  if (choice.kind === "smallest") return pool.slice(0, k);
  if (choice.kind === "largest") return pool.slice(pool.length - k);
  const end = choice.end ?? pool.length - 1;
  if (!(end >= k - 1 && end < pool.length)) {
    throw new InputError(
      `a window of ${k} models cannot end at model ${end + 1} of ${pool.length}`,
      { field: "train" },
    );
  }
  return pool.slice(end - k + 1, end + 1);
}

/** Other runs of the target's size (LR sweeps, seeds), which default training leaves out. */
export function sameSizeRuns(family: Family, target: FamilyModel): FamilyModel[] {
  return family.models.filter((m) => m !== target && m.params === target.params);
}

/**
 * Finds the target by name, or the default: the largest model (the smallest when scaling down),
 * ties broken by most tokens, then by name, so the same rows give the same target whatever their
 * order in a file, the store or the corpus.
 * @throws InputError naming the closest model when `name` is absent
 */
export function chooseTarget(family: Family, name?: string, scaleDown = false): FamilyModel {
  if (name === undefined) {
    const better = (a: FamilyModel, b: FamilyModel) =>
      a.params !== b.params
        ? scaleDown
          ? a.params < b.params
          : a.params > b.params
        : a.maxTokens !== b.maxTokens
          ? a.maxTokens > b.maxTokens
          : a.name < b.name;
    return family.models.reduce((best, m) => (better(m, best) ? m : best));
  }
  const m = family.models.find((x) => x.name === name);
  if (!m) {
    const near = closest(
      name,
      family.models.map((x) => x.name),
    );
    throw new InputError(`family ${family.name} has no model "${name}"`, {
      field: "target",
      hint: near
        ? `did you mean "${near}"?`
        : `models: ${family.models.map((x) => x.name).join(", ")}`,
    });
  }
  return m;
}
