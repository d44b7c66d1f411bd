import type { DetailedFlops } from "../plan/flops.js";
import { computeUnits, type Hardware } from "../plan/units.js";
import { fmt } from "./fit.js";
import { formatCount, hardwareJson, unitsText } from "./units.js";

/** What `scaleladder flops` counted: any of a size and tokens, a compute total and a shape. */
export interface FlopsCount {
  /** Model size and training tokens, when given. */
  params?: number;
  tokens?: number;
  /** Training compute in FLOPs, when known. */
  flops?: number;
  hardware?: Hardware;
  currency: string;
  /** The detailed per-token count of a transformer shape, when given. */
  shape?: DetailedFlops;
  /** The shape's Appendix F training count times the tokens, when both are given. */
  detailed?: number;
}

/** The count as one JSON-ready object. */
export function flopsJson(c: FlopsCount) {
  const { params: N, tokens: D, flops, hardware: hw, currency, shape, detailed } = c;
  return {
    ...(N !== undefined ? { params: N, tokens: D } : {}),
    ...(flops !== undefined ? { units: computeUnits(flops, hw) } : {}),
    ...hardwareJson(hw, currency),
    ...(shape ? { shape, ...(detailed !== undefined ? { detailedFlops: detailed } : {}) } : {}),
  };
}

/** The count as text: 6ND, the compute units, and how far 6N is off for the shape. */
export function flopsText(c: FlopsCount): string {
  const { params: N, tokens: D, flops, hardware: hw, currency, shape, detailed } = c;
  const lines: string[] = [];
  if (N !== undefined && D !== undefined)
    lines.push(
      `6·N·D      ${formatCount(N, "params")}, ${formatCount(D, "tokens")} (${fmt(D / N)} tokens per parameter)`,
    );
  if (flops !== undefined) lines.push(...unitsText(flops, hw, currency));
  if (shape) {
    lines.push(
      "",
      `shape      non-embedding N = ${fmt(shape.nonEmbeddingParams)}, embedding ${fmt(shape.embeddingParams)}`,
      "per token  forward      training (3×)",
      `  Kaplan Table 1         ${fmt(shape.kaplan.forward).padStart(10)}  ${fmt(shape.kaplan.training).padStart(10)}`,
      `  Chinchilla App. F      ${fmt(shape.chinchilla.forward).padStart(10)}  ${fmt(shape.chinchilla.training).padStart(10)}`,
      `  6N (non-embedding)                 ${fmt(shape.sixN).padStart(10)}`,
      `  6N (all parameters)                ${fmt(shape.sixNTotal).padStart(10)}`,
      `6N is off by ${(shape.sixNError * 100).toFixed(1)}% against Appendix F's count for this shape (attention over the context and the logits)`,
    );
    if (detailed !== undefined)
      lines.push(`detailed   ${fmt(detailed)} FLOPs for D = ${fmt(D ?? Number.NaN)} tokens`);
  }
  return `${lines.join("\n")}\n`;
}
