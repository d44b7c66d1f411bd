import { InputError } from "../errors.js";
import { getAccelerator } from "../plan/accelerators.js";
import { detailedFlops, trainingFlops } from "../plan/flops.js";
import { budgetFromHardware, checkBudget, type Hardware } from "../plan/units.js";
import { flopsJson, flopsText } from "../report/flops.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { bool, type FlagValues, flagHelp, parseFlags, str } from "./flags.js";
import { toJson } from "./io.js";

/** Flags shared by `flops` and `plan` to name a budget and hardware. */
export const BUDGET_FLAGS = {
  budget: str("C", "a budget in FLOPs instead"),
  gpus: str("K", "the budget of K accelerators running T days (needs --gpu or --peak-flops)", {
    label: "--gpus K --days T",
  }),
  days: str("T"),
  gpu: str(
    "NAME",
    "a100, h100, h100-pcie, h200, b200, mi300x, tpu-v4, tpu-v5e, tpu-v5p, v100, ...",
  ),
  "peak-flops": str("F", "dense peak FLOP/s of one accelerator (instead of --gpu)"),
  mfu: str("U", "model FLOPs utilisation in (0, 1] (default 0.4)"),
  "price-per-gpu-hour": str("P", "cost of one accelerator-hour"),
  currency: str("C", "symbol or code for costs (default $; EUR prints 1.03M EUR)"),
} as const;

const FLAGS = {
  params: str("N", "model size and training tokens (suffixes: 70B, 1.4T)", {
    label: "--params N --tokens D",
  }),
  tokens: str("D"),
  ...BUDGET_FLAGS,
  layers: str(
    "L",
    `
detailed per-token count (Kaplan et al. 2020 Table 1; Hoffmann et al. 2022
App. F) and how far 6N is off for this shape`,
    {
      label: "--layers L --d-model d --context n [--vocab V] [--d-ff F] [--heads H]",
    },
  ),
  "d-model": str("d"),
  context: str("n"),
  vocab: str("V"),
  "d-ff": str("F"),
  heads: str("H"),
  json: bool("print one JSON object"),
} as const;

const HELP = `usage: scaleladder flops [--params N --tokens D | --budget C | --gpus K --days T --gpu NAME] [options]

Training compute by C = 6·N·D (2ND forward + 4ND backward), in FLOPs, PF-days (8.64e19 FLOPs),
accelerator-hours, wall-clock days and cost; or the budget that K accelerators give in T days.

${flagHelp(FLAGS, 24)}
`;

/** Hardware from flags, or undefined when none is named. */
export function hardwareFromFlags(v: FlagValues<typeof BUDGET_FLAGS>): Hardware | undefined {
  const gpu = v.gpu;
  const peak = numberFlag(v, "peak-flops", { positive: true });
  const gpus = numberFlag(v, "gpus", { positive: true });
  const mfu = numberFlag(v, "mfu");
  const price = numberFlag(v, "price-per-gpu-hour", { min: 0 });
  if (gpu === undefined && peak === undefined) {
    if (gpus !== undefined || mfu !== undefined || price !== undefined) {
      throw new InputError("--gpus, --mfu and --price-per-gpu-hour need an accelerator", {
        field: "--gpu",
        hint: "add --gpu h100 or --peak-flops F",
      });
    }
    return undefined;
  }
  const peakFlops = peak ?? getAccelerator(gpu ?? "").peakFlops;
  return {
    gpus: gpus ?? 1,
    peakFlops,
    mfu,
    pricePerGpuHour: price,
    name: gpu,
  };
}

/** `--currency`, which only means something with a price. */
export function currencyFromFlags(
  v: FlagValues<typeof BUDGET_FLAGS>,
  hw: Hardware | undefined,
): string {
  const c = v.currency;
  if (c !== undefined && hw?.pricePerGpuHour === undefined) {
    throw new InputError("--currency does nothing without --price-per-gpu-hour", {
      field: "--currency",
      hint: "add --price-per-gpu-hour P, or drop --currency",
    });
  }
  return c ?? "$";
}

/** The budget named by --budget, or by --gpus --days with hardware; undefined when neither. */
export function budgetFromFlags(
  v: FlagValues<typeof BUDGET_FLAGS>,
  hw: Hardware | undefined,
): number | undefined {
  const raw = numberFlag(v, "budget");
  const days = numberFlag(v, "days");
  if (raw !== undefined && days !== undefined) {
    throw new InputError("give either --budget or --gpus/--days, not both", { field: "--budget" });
  }
  if (raw !== undefined) return checkBudget(raw);
  if (days !== undefined) {
    if (!hw)
      throw new InputError("--days needs an accelerator", {
        field: "--days",
        hint: "add --gpus K --gpu h100",
      });
    return budgetFromHardware(hw, days);
  }
  return undefined;
}

export const flopsCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("flops", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (positionals.length > 0)
      throw new InputError(`unexpected argument "${positionals[0]}"`, {
        field: "scaleladder flops",
      });
    const hw = hardwareFromFlags(values);
    const currency = currencyFromFlags(values, hw);
    const N = numberFlag(values, "params", { positive: true });
    const D = numberFlag(values, "tokens", { positive: true });
    if ((N === undefined) !== (D === undefined)) {
      throw new InputError("--params and --tokens go together", {
        field: "scaleladder flops",
        hint: "e.g. --params 70B --tokens 1.4T",
      });
    }
    const given = budgetFromFlags(values, hw);
    if (given !== undefined && N !== undefined)
      throw new InputError("give --params/--tokens or a budget, not both", { field: "--budget" });
    const shapeFlags = ["layers", "d-model", "context"].map((k) => numberFlag(values, k));
    const shape = shapeFlags.some((v) => v !== undefined)
      ? detailedFlops({
          layers: shapeFlags[0] ?? Number.NaN,
          dModel: shapeFlags[1] ?? Number.NaN,
          context: shapeFlags[2] ?? Number.NaN,
          vocab: numberFlag(values, "vocab"),
          dFF: numberFlag(values, "d-ff"),
          heads: numberFlag(values, "heads"),
        })
      : undefined;
    const flops = given ?? (N !== undefined && D !== undefined ? trainingFlops(N, D) : undefined);
    if (flops === undefined && !shape) {
      throw new InputError("nothing to count", {
        field: "scaleladder flops",
        hint: "give --params N --tokens D, --budget C, or --gpus K --days T --gpu NAME",
      });
    }
    const detailed = shape && D !== undefined ? shape.chinchilla.training * D : undefined;
    const count = { params: N, tokens: D, flops, hardware: hw, currency, shape, detailed };
    io.out(values.json ? toJson(flopsJson(count)) : flopsText(count));
    return 0;
  },
};
