import { closest, InputError } from "../errors.js";
import type { DelimitedText } from "./csv.js";
import { parseSize } from "./size.js";
import { DEFAULT_METRIC, type RunTable } from "./types.js";

/** Which file column holds each canonical field; defaults are the canonical names. */
export interface ColumnMapping {
  params?: string;
  tokens?: string;
  flops?: string;
  loss?: string;
  family?: string;
  model?: string;
  seed?: string;
  step?: string;
  /** Tokens per optimizer step, to derive tokens = step × this when the file has no tokens. */
  tokensPerStep?: number;
}

const NUMERIC = ["params", "tokens", "flops", "loss", "step"] as const;

/**
 * Turns a parsed wide file (one row per checkpoint, a `loss` column) into the canonical table.
 * Derives tokens = flops/(6·params) or step × tokensPerStep, and flops = 6·params·tokens.
 * @throws InputError at the first bad cell, naming file, line and column
 */
export function tableFromDelimited(d: DelimitedText, file: string, map: ColumnMapping = {}): RunTable {
  const col = (field: keyof ColumnMapping): number => {
    const name = (map[field] as string | undefined) ?? field;
    return d.header.indexOf(name);
  };
  const need = (field: "params" | "loss") => {
    const i = col(field);
    if (i < 0) missing(field);
    return i;
  };
  const missing = (field: string): never => {
    const wanted = (map[field as keyof ColumnMapping] as string | undefined) ?? field;
    const near = closest(wanted, d.header);
    throw new InputError(`missing required column "${wanted}" (found: ${d.header.join(", ")})`, {
      file,
      line: 1,
      hint: near ? `did you mean "${near}"? or map it with --${field}-col "${near}"` : `add it, or map another column with --${field}-col NAME`,
    });
  };
  const iParams = need("params");
  const iLoss = need("loss");
  const iTokens = col("tokens");
  const iFlops = col("flops");
  const iStep = col("step");
  if (iTokens < 0 && iFlops < 0 && !(iStep >= 0 && map.tokensPerStep)) missing("tokens");
  const iFamily = col("family");
  const iModel = col("model");
  const iSeed = col("seed");

  const n = d.rows.length;
  const params = new Float64Array(n);
  const tokens = new Float64Array(n);
  const flops = new Float64Array(n);
  const value = new Float64Array(n);
  const step = new Float64Array(n).fill(Number.NaN);
  const family: string[] = new Array(n);
  const model: string[] = new Array(n);
  const seed: string[] = new Array(n);
  const num = (r: number, c: number, field: (typeof NUMERIC)[number]): number => {
    const raw = d.rows[r][c];
    const v = parseSize(raw);
    if (!Number.isFinite(v)) {
      throw new InputError(`${field} is not a finite number (${JSON.stringify(raw.trim())})`, {
        file,
        line: d.lines[r],
        column: c + 1,
        hint: "use plain or scientific notation, or a size suffix such as 125M",
      });
    }
    if (field !== "step" && v <= 0) {
      throw new InputError(`${field} must be positive, got ${raw.trim()}`, {
        file,
        line: d.lines[r],
        column: c + 1,
        hint: "remove the row or fix the value",
      });
    }
    return v;
  };
  for (let r = 0; r < n; r++) {
    params[r] = num(r, iParams, "params");
    value[r] = num(r, iLoss, "loss");
    if (iStep >= 0) step[r] = num(r, iStep, "step");
    const f = iFlops >= 0 ? num(r, iFlops, "flops") : Number.NaN;
    tokens[r] =
      iTokens >= 0 ? num(r, iTokens, "tokens") : iFlops >= 0 ? f / (6 * params[r]) : step[r] * (map.tokensPerStep ?? Number.NaN);
    flops[r] = iFlops >= 0 ? f : 6 * params[r] * tokens[r];
    family[r] = iFamily >= 0 ? d.rows[r][iFamily].trim() : "";
    seed[r] = iSeed >= 0 ? d.rows[r][iSeed].trim() : "0";
    // Without a model column, checkpoints of one size form one run when steps are given; otherwise
    // every row is its own run (final-loss tables such as Chinchilla's IsoFLOP points).
    model[r] = iModel >= 0 ? d.rows[r][iModel].trim() : iStep >= 0 ? `N=${params[r]}` : `row${d.lines[r]}`;
  }
  return {
    origin: file,
    length: n,
    family,
    model,
    params,
    tokens,
    flops,
    metric: new Array(n).fill(DEFAULT_METRIC),
    value,
    seed,
    step,
    line: Int32Array.from(d.lines),
  };
}
