import { closest, InputError } from "../errors.js";
import { chinchilla } from "./chinchilla.js";
import { chinchillaTied } from "./chinchilla-tied.js";
import { compute, computePure } from "./compute.js";
import { dataConstrained } from "./data-constrained.js";
import { hitchhikerPca } from "./hitchhiker-pca.js";
import { hitchhikerTied } from "./hitchhiker-tied.js";
import { kaplanC, kaplanD, kaplanN, kaplanND } from "./kaplan.js";
import { powerLaw } from "./power.js";
import type { Law, RawColumns } from "./types.js";

export type { Columns, Law, ParamSpec, RawColumns, Scale } from "./types.js";
export { makeColumns } from "./types.js";
export {
  chinchilla,
  chinchillaTied,
  compute,
  computePure,
  dataConstrained,
  hitchhikerPca,
  hitchhikerTied,
  kaplanC,
  kaplanD,
  kaplanN,
  kaplanND,
  powerLaw,
};

/** Every built-in law, by registry name (`power` defaults to the params column). */
export const builtinLaws: readonly Law[] = [
  chinchilla,
  chinchillaTied,
  kaplanN,
  kaplanD,
  kaplanC,
  kaplanND,
  compute,
  computePure,
  powerLaw("params"),
  dataConstrained,
  hitchhikerTied,
  hitchhikerPca,
];

/** Names accepted by `--law`. */
export const lawNames: readonly string[] = builtinLaws.map((l) => l.name);

/**
 * Looks a law up by name. `power` takes the column it runs on (`params`, `tokens` or `flops`).
 * @throws InputError naming the closest law for an unknown name
 */
export function getLaw(name: string, options: { column?: keyof RawColumns } = {}): Law {
  if (name === "power") return powerLaw(options.column ?? "params");
  const law = builtinLaws.find((l) => l.name === name);
  if (!law) {
    const near = closest(name, lawNames);
    throw new InputError(`unknown law "${name}" (expected ${lawNames.join(" | ")})`, {
      field: "law",
      hint: near ? `did you mean "${near}"?` : "run `scaleladder laws` to list them",
    });
  }
  return law;
}
