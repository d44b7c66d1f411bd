import { closest, InputError } from "../errors.js";
import { DEFAULT_METRIC } from "./types.js";

/** Which file column holds each canonical field; defaults are the canonical names (and aliases). */
export interface ColumnMapping {
  params?: string;
  tokens?: string;
  flops?: string;
  /** The value column of a wide file (defaults to the `metric` column, then `loss`). */
  loss?: string;
  family?: string;
  model?: string;
  seed?: string;
  step?: string;
  /** Long files: the column naming the metric of each row (default `metric`). */
  metricCol?: string;
  /** Long files: the column holding each row's value (default `value`). */
  valueCol?: string;
  /** Tokens per optimizer step, to derive tokens = step × this when the file has no tokens. */
  tokensPerStep?: number;
  /**
   * The metric to read. Wide files: the column of that name (default `loss`). Long files: keep
   * only rows with this metric; all metrics when unset.
   */
  metric?: string;
  /** Unique tokens in the training data (data-constrained runs); default column `unique_tokens`. */
  uniqueTokens?: string;
  /**
   * Further numeric columns to carry, row-aligned, into `RunTable.extra` (e.g. `budget`). Matched
   * by exact name, else case-insensitively.
   */
  extraColumns?: readonly string[];
}

/** Canonical fields a file column can fill. */
export type Field =
  | "family"
  | "model"
  | "params"
  | "tokens"
  | "flops"
  | "seed"
  | "step"
  | "arch"
  | "dataset"
  | "source"
  | "metric"
  | "value"
  | "unique_tokens"
  /** A column carried for a command (`extraColumns`); its name travels beside the field. */
  | "extra";

/** Other names a field goes by in common exports (W&B's `_step`, `throughput/total_tokens`). */
const ALIASES: Partial<Record<Field, readonly string[]>> = {
  step: ["_step"],
  tokens: ["throughput/total_tokens"],
};

/** Column names that probably hold a field, for "did you mean" hints (`Model Size` → params). */
export const LOOKS_LIKE: Record<string, RegExp> = {
  params: /param|model.?size|^n$/i,
  tokens: /token|^d$/i,
  flops: /flop|compute|^c$/i,
  step: /step|iter/i,
  loss: /loss/i,
};

/** Where each canonical field comes from in one file. */
export interface ResolvedColumns {
  /** `long`: a metric and a value column; `wide`: one column per metric, one of which is read. */
  readonly kind: "wide" | "long";
  readonly columns: Partial<Record<Field, string>>;
  /** Wide files: the metric name given to the value column. */
  readonly metricName?: string;
  /** Long files: the one metric to keep, if any. */
  readonly metricFilter?: string;
  /** How tokens are obtained. */
  readonly tokensFrom: "tokens" | "flops" | "step";
  /** `extraColumns` as asked for, each with the file column it was matched to. */
  readonly extra: readonly { readonly name: string; readonly column: string }[];
}

/**
 * Matches canonical fields to a file's columns: an explicit mapping first, then the canonical name,
 * an alias, or a case-insensitive match.
 * @throws InputError for missing required columns, listing what was found and the closest name
 */
export function resolveColumns(
  found: readonly string[],
  map: ColumnMapping,
  file: string,
  given: { params?: boolean } = {},
): ResolvedColumns {
  const pick = (
    field: Field,
    explicit: string | undefined,
    required: boolean,
    option: string,
  ): string | undefined => {
    if (explicit !== undefined) {
      if (found.includes(explicit)) return explicit;
      return missing(explicit, option);
    }
    const names = [field, ...(ALIASES[field] ?? [])];
    for (const n of names) if (found.includes(n)) return n;
    const lower = names.map((n) => n.toLowerCase());
    const ci = found.filter((c) => lower.includes(c.toLowerCase()));
    if (ci.length === 1) return ci[0];
    return required ? missing(field, option) : undefined;
  };
  // Every missing column is collected, so one message names them all, each with its fix.
  const misses: { wanted: string; hint: string }[] = [];
  const missing = (wanted: string, option: string, extra = ""): undefined => {
    const near = closest(wanted, found) ?? found.find((c) => LOOKS_LIKE[wanted]?.test(c));
    const metrics = found.filter((c) => /loss|perplexity|ppl|bpb|entropy/i.test(c) && c !== near);
    misses.push({
      wanted,
      hint: near
        ? `did you mean "${near}"? map it with ${option} "${near}"`
        : metrics.length > 0 && option === "`metric`"
          ? `pick a metric column with \`metric\`, e.g. \`metric\` "${metrics[0]}"`
          : `add it, or map another column with ${option} NAME${extra}`,
    });
    return undefined;
  };

  const columns: Partial<Record<Field, string>> = {};
  const metricCol = pick("metric", map.metricCol, map.metricCol !== undefined, "`metricCol`");
  const valueCol = metricCol
    ? pick("value", map.valueCol, map.valueCol !== undefined, "`valueCol`")
    : undefined;
  const long = metricCol !== undefined && valueCol !== undefined && map.loss === undefined;
  let metricName: string | undefined;
  if (long) {
    columns.metric = metricCol;
    columns.value = valueCol;
  } else if (map.loss !== undefined) {
    columns.value = pick("value", map.loss, true, "`loss`");
    metricName = map.metric ?? DEFAULT_METRIC;
  } else {
    const want = map.metric ?? DEFAULT_METRIC;
    const ci = found.filter((c) => c.toLowerCase() === want.toLowerCase());
    columns.value = found.includes(want)
      ? want
      : ci.length === 1
        ? ci[0]
        : missing(want, map.metric ? "`metric`" : "`loss`");
    metricName = want;
  }
  columns.params = pick("params", map.params, !given.params, "`params`");
  columns.tokens = pick("tokens", map.tokens, false, "`tokens`");
  columns.flops = pick("flops", map.flops, false, "`flops`");
  columns.step = pick("step", map.step, false, "`step`");
  if (!columns.tokens && !columns.flops && !(columns.step && map.tokensPerStep)) {
    missing(
      "tokens",
      "`tokens`",
      columns.step
        ? ", or derive it with `tokensPerStep` T"
        : ", or give `flops` to derive tokens = flops/(6·params)",
    );
  }
  columns.family = pick("family", map.family, false, "`family`");
  columns.model = pick("model", map.model, false, "`model`");
  columns.seed = pick("seed", map.seed, false, "`seed`");
  columns.unique_tokens = pick("unique_tokens", map.uniqueTokens, false, "`uniqueTokens`");
  for (const f of ["arch", "dataset", "source"] as const)
    columns[f] = pick(f, undefined, false, "");
  if (misses.length > 0) {
    const one = misses.length === 1;
    throw new InputError(
      `missing required column${one ? "" : "s"} ${misses.map((m) => `"${m.wanted}"`).join(", ")} (found: ${found.join(", ")})`,
      {
        file,
        line: 1,
        hint: one ? misses[0].hint : misses.map((m) => `${m.wanted}: ${m.hint}`).join("; "),
      },
    );
  }
  const extra = (map.extraColumns ?? []).map((name) => {
    const ci = found.filter((c) => c.toLowerCase() === name.toLowerCase());
    const column = found.includes(name) ? name : ci.length === 1 ? ci[0] : undefined;
    if (column !== undefined) return { name, column };
    const near = closest(name, found);
    throw new InputError(`missing column "${name}" (found: ${found.join(", ")})`, {
      file,
      line: 1,
      hint: near ? `did you mean "${near}"?` : "add the column, or name another one",
    });
  });
  return {
    kind: long ? "long" : "wide",
    columns,
    metricName,
    metricFilter: long ? map.metric : undefined,
    tokensFrom: columns.tokens ? "tokens" : columns.flops ? "flops" : "step",
    extra,
  };
}
