import type { NoiseEstimate } from "../estimate/noise.js";
import { fmt } from "./fit.js";

/** The seed-noise floor of a family as text: the floor, then one line per seed pair. */
export function noiseText(est: NoiseEstimate, family: string, label?: string): string {
  const tag = label ? ` [${label}]` : "";
  if (est.pairs.length === 0) {
    return `noise${tag}  family ${family}: no model has runs with different seeds, so the floor cannot be measured here; the paper's figure is about 4%\n`;
  }
  const lines = [
    `noise${tag}  family ${family}, metric ${est.metric}: ${est.models} models with repeated seeds, ${est.pairs.length} seed pairs`,
    `ARE floor  mean ${(100 * est.meanAre).toFixed(2)}%, max ${(100 * est.maxAre).toFixed(2)}% (the Hitchhiker's Guide: about 4%)`,
    "",
    "model              params      seeds        points   ARE",
    ...est.pairs.map(
      (p) =>
        `${p.model.padEnd(18)} ${fmt(p.params).padStart(9)}   ${p.seeds.join(" vs ").padEnd(12)} ${String(p.points).padStart(6)}   ${(100 * p.are).toFixed(2)}%`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
