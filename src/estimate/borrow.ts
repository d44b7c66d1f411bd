import { toFitData } from "../data/fitdata.js";
import type { RunTable } from "../data/types.js";
import { closest, InputError } from "../errors.js";
import { fit } from "../fit/fit.js";
import type { FitOptions } from "../fit/types.js";
import { MUENNIGHOFF_PUBLISHED } from "../laws/data-constrained.js";
import { DEFAULT_MIN_TOKENS } from "./forecast.js";
import { PROTOCOLS } from "./protocol.js";
import { familyOf } from "./selection.js";

/**
 * Published values of the size parameters A and α (chinchilla law, natural units) to borrow when a
 * new family has too few sizes to fit them (Choshen et al. 2025, §5).
 */
export const BORROW_PRESETS: Readonly<
  Record<string, { readonly params: Readonly<Record<string, number>>; readonly source: string }>
> = {
  hitchhiker: {
    params: { A: MUENNIGHOFF_PUBLISHED.A, alpha: MUENNIGHOFF_PUBLISHED.alpha },
    source:
      "Choshen et al. 2025 §5 / App. A: a = 6.255414, α = 0.3526596 (Muennighoff et al. 2023's fit)",
  },
  chinchilla: {
    params: { A: 406.4, alpha: 0.34 },
    source: "Hoffmann et al. 2022, Approach 3 (eq. 10)",
  },
  epoch: {
    params: { A: 482.01, alpha: 0.3478 },
    source: "Besiroglu et al. 2024, replication of Approach 3",
  },
};

/**
 * Looks a borrowing preset up by name.
 * @throws InputError naming the closest preset
 */
export function borrowPreset(name: string): Record<string, number> {
  const p = BORROW_PRESETS[name];
  if (!p) {
    const names = Object.keys(BORROW_PRESETS);
    const near = closest(name, names);
    throw new InputError(`unknown borrow preset "${name}" (expected ${names.join(" | ")})`, {
      field: "borrowPreset",
      hint: near ? `did you mean "${near}"?` : "hitchhiker is the paper's",
    });
  }
  return { ...p.params };
}

/**
 * Fits the law on every model of another family, largest included (all checkpoints past the early cut), and returns the
 * chosen parameters, to hold fixed while fitting the rest on as little as one model of a new family.
 * @throws InputError when the donor family is unknown or its fit has no usable parameters
 * @example borrowFrom(table, "gpt3") // → { A: …, alpha: … }
 */
export function borrowFrom(
  table: RunTable,
  family: string,
  options: {
    params?: readonly string[];
    fit?: FitOptions;
    minTokens?: number;
    protocol?: "default" | "paper";
  } = {},
): Record<string, number> {
  const names = options.params ?? ["A", "alpha"];
  const fam = familyOf(table, family);
  const c = options.minTokens ?? DEFAULT_MIN_TOKENS;
  const rows = fam.models.flatMap((m) => m.rows.filter((r) => table.tokens[r] > c));
  if (new Set(rows.map((r) => table.params[r])).size < 2) {
    throw new InputError(
      `cannot borrow from family ${family}: fewer than 2 sizes past ${c} tokens`,
      { field: "borrow" },
    );
  }
  const rules = PROTOCOLS[options.protocol ?? "default"];
  const r = fit(toFitData(table, rows), { ...rules.fit, ...options.fit, fix: {} });
  if (r.status === "non-finite") {
    throw new InputError(
      `cannot borrow from family ${family}: its fit failed (${r.statusMessage})`,
      { field: "borrow" },
    );
  }
  const out: Record<string, number> = {};
  for (const n of names) {
    if (!(n in r.params))
      throw new InputError(`law ${r.law.name} has no parameter "${n}" to borrow`, {
        field: "borrow",
      });
    out[n] = r.params[n];
  }
  return out;
}
