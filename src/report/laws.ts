import type { Law } from "../laws/index.js";

/** The laws as `scaleladder laws --json` prints them: name, formula, source and parameters. */
export function lawsJson(laws: readonly Law[]) {
  return laws.map((l) => ({
    name: l.name,
    formula: l.formula,
    reference: l.reference,
    params: l.params,
  }));
}

/** The laws as text: formula, source and parameter names (* marks those that enter linearly). */
export function lawsText(laws: readonly Law[]): string {
  return laws
    .map(
      (l) =>
        `${l.name.padEnd(13)} ${l.formula}\n${"".padEnd(13)} ${l.reference}\n${"".padEnd(13)} params: ${l.params.map((p) => `${p.name}${p.linear ? "*" : ""}`).join(", ")}   (* enters linearly)\n`,
    )
    .join("");
}
