import type { Comparison } from "../analysis/compare.js";
import { formatSize } from "../data/size.js";
import { fmt } from "./fit.js";

/** A readable comparison of two recipes. */
export function compareText(c: Comparison): string {
  const [a, b] = c.separate;
  const params = (p: Readonly<Record<string, number>>) =>
    Object.entries(p)
      .map(([k, v]) => `${k}=${fmt(v)}`)
      .join(", ");
  const fits = c.exponents.shared ? c.sharedFit : c.separate;
  const m = c.multiplier;
  const times = (v: number) => (Number.isFinite(v) ? `×${fmt(v, 3)}` : v > 0 ? "∞" : "×0");
  const level = Math.round((c.bootstrap?.level ?? 0.95) * 100);
  const lines = [
    `compare  A = ${a.family}, B = ${b.family}, metric ${c.metric}, law ${c.law}`,
    `data     A: ${a.runs} runs, ${a.rows} checkpoints; B: ${b.runs} runs, ${b.rows} checkpoints`,
    `separate A: ${params(a.params)}`,
    `         B: ${params(b.params)}`,
    `shared   ${params(c.sharedExponents)} (each family keeps its own coefficients)`,
    `choice   ${c.exponents.reason}`,
    `fits     A: ${params(fits[0].params)}`,
    `         B: ${params(fits[1].params)}`,
    "",
    `target   N=${formatSize(c.at.params)}, D=${formatSize(c.at.tokens)}, C=${fmt(c.at.flops, 3)} FLOPs`,
    `multiplier of B over A: ${times(m)}${c.multiplierInterval ? `  ${level}% interval [${times(c.multiplierInterval[0])}, ${times(c.multiplierInterval[1])}] (${c.bootstrap?.succeeded}/${c.bootstrap?.resamples} resamples)` : ""}`,
    `         (the compute A's optimal allocation needs to reach B's optimal loss at C, over C; > 1: B is better)`,
    `at target         L_A ${fmt(c.atTarget.a, 5)}, L_B ${fmt(c.atTarget.b, 5)}: ${c.atTarget.better === "tie" ? "tie" : `${c.atTarget.better} is better`}`,
    `at largest trained (N=${formatSize(c.atLargest.params)}, D=${formatSize(c.atLargest.tokens)})  L_A ${fmt(c.atLargest.a, 5)}, L_B ${fmt(c.atLargest.b, 5)}: ${c.atLargest.better === "tie" ? "tie" : `${c.atLargest.better} is better`}`,
    c.rankingFlips
      ? "ranking  FLIPS between the largest trained size and the target"
      : "ranking  the same at the largest trained size and at the target",
  ];
  return `${lines.join("\n")}\n`;
}
