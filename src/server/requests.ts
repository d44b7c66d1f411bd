import type { LoadOptions } from "../data/load.js";
import type { RowSelection } from "../data/select.js";
import { checkedSize, parseSize, type SizeRange } from "../data/size.js";
import { InputError } from "../errors.js";
import type { UncertaintyOptions } from "../estimate/uncertainty.js";
import type { FitOptions } from "../fit/types.js";

/**
 * Request parsing: the page's JSON fields into the library's options. Messages name the page's
 * field (`delta`, `fix`), as the CLI's name its flags.
 */

/** A number field: JSON number or text, plain, scientific or suffixed (`70B`, `1.4T`). */
export function num(
  body: Record<string, unknown>,
  field: string,
  range: SizeRange = {},
): number | undefined {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === "") return undefined;
  return checkedSize(raw, field, range);
}

/** A text field, or undefined when empty. */
export function text(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new InputError(`${field} must be text`, { field });
  return v;
}

/** `alpha=0.34, beta=0.28` (or an object) into fixed parameter values. */
export function fixed(body: Record<string, unknown>): Record<string, number> {
  const v = body.fix;
  if (v === undefined || v === null || v === "") return {};
  if (typeof v === "object")
    return fixed({
      fix: Object.entries(v)
        .map(([k, x]) => `${k}=${x}`)
        .join(","),
    });
  const out: Record<string, number> = {};
  for (const part of String(v).split(",")) {
    if (part.trim() === "") continue;
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(\S+)\s*$/.exec(part);
    const x = m ? parseSize(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(x))
      throw new InputError(`cannot read "${part.trim()}" as name=value`, {
        field: "fix",
        hint: "write alpha=0.34, beta=0.28",
      });
    out[m[1]] = x;
  }
  return out;
}

/** The column mapping and filters of a load request. */
export function loadOptions(body: Record<string, unknown>): LoadOptions {
  const map = (body.mapping ?? {}) as Record<string, unknown>;
  if (typeof map !== "object")
    throw new InputError("mapping must be an object", { field: "mapping" });
  const col = (k: string) => text(map, k);
  return {
    format: text(body, "format"),
    metric: text(body, "metric"),
    where: text(body, "where"),
    params: col("params"),
    tokens: col("tokens"),
    flops: col("flops"),
    loss: col("loss"),
    model: col("model"),
    family: col("family"),
    seed: col("seed"),
    step: col("step"),
    tokensPerStep: num(body, "tokensPerStep", { positive: true }),
    strict: body.strict === true,
  };
}

/** Rows, law, objective and bootstrap of a fit request. */
export interface FitRequest {
  readonly selection: RowSelection;
  readonly fit: FitOptions;
  readonly uncertainty: UncertaintyOptions;
}

/** Reads a fit request (`law`, `objective`, `delta`, `fix`, `minTokens`, `fraction`, `bootstrap`, `seed`). */
export function fitRequest(body: Record<string, unknown>): FitRequest {
  const objective = text(body, "objective");
  const delta = num(body, "delta", { positive: true });
  if (delta !== undefined && objective !== undefined && objective !== "huber-log")
    throw new InputError(`delta does nothing with objective ${objective}`, {
      field: "delta",
      hint: "clear delta, or pick huber-log",
    });
  return {
    selection: {
      family: text(body, "family"),
      minTokens: num(body, "minTokens", { min: 0 }),
      fraction: num(body, "fraction", { positive: true, max: 1 }),
    },
    fit: { law: text(body, "law") ?? "chinchilla", objective, delta, fix: fixed(body) },
    uncertainty: {
      resamples: num(body, "bootstrap", { integer: true, min: 0, max: 10000 }) ?? 0,
      seed: num(body, "seed", { integer: true, min: 0 }) ?? 0,
      level: num(body, "level", { min: 0.5, max: 0.999 }),
    },
  };
}
