import { InputError } from "../errors.js";

/** One petaflop/s-day: 10^15 FLOP/s for 86,400 s = 8.64·10^19 FLOPs (Kaplan et al. 2020, §1.3). */
export const PF_DAY = 8.64e19;
const SECONDS_PER_HOUR = 3600;
const HOURS_PER_DAY = 24;

/** A hardware setting: how many devices, each with what peak, at what utilisation. */
export interface Hardware {
  /** Number of accelerators. */
  readonly gpus: number;
  /** Dense peak FLOP/s of one accelerator. */
  readonly peakFlops: number;
  /** Model FLOPs utilisation in (0, 1]; defaults to 0.4. */
  readonly mfu?: number;
  /** Price of one accelerator-hour (any currency); omitted means no cost is reported. */
  readonly pricePerGpuHour?: number;
  /** What it is called (`h100`), for output. */
  readonly name?: string;
}

/** A compute budget in every unit at once. */
export interface ComputeUnits {
  readonly flops: number;
  readonly pfDays: number;
  /** Accelerator-hours at the given MFU (null without hardware). */
  readonly gpuHours: number | null;
  /** Wall-clock days on `gpus` accelerators (null without hardware). */
  readonly days: number | null;
  /** gpuHours × price (null without a price). */
  readonly cost: number | null;
}

/**
 * Checks a hardware setting once, at the entry.
 * @throws InputError for a non-positive count or peak, or an MFU outside (0, 1]
 */
export function checkHardware(
  h: Hardware,
): Required<Omit<Hardware, "pricePerGpuHour" | "name">> & Hardware {
  const mfu = h.mfu ?? 0.4;
  if (!(h.gpus > 0) || !Number.isFinite(h.gpus)) {
    throw new InputError(`gpus must be a positive number, got ${h.gpus}`, {
      field: "gpus",
      hint: "e.g. 1024",
    });
  }
  if (!(h.peakFlops > 0) || !Number.isFinite(h.peakFlops)) {
    throw new InputError(`peak throughput must be positive, got ${h.peakFlops}`, {
      field: "peakFlops",
    });
  }
  if (!(mfu > 0 && mfu <= 1)) {
    throw new InputError(`mfu must be in (0, 1], got ${mfu}`, {
      field: "mfu",
      hint: "a fraction of peak, e.g. 0.4",
    });
  }
  if (
    h.pricePerGpuHour !== undefined &&
    !(h.pricePerGpuHour >= 0 && Number.isFinite(h.pricePerGpuHour))
  ) {
    throw new InputError(
      `pricePerGpuHour must be a non-negative number, got ${h.pricePerGpuHour}`,
      {
        field: "pricePerGpuHour",
      },
    );
  }
  return { ...h, mfu };
}

/** Sustained FLOPs of one accelerator in one hour: peak × MFU × 3600. */
function flopsPerGpuHour(h: Hardware): number {
  return h.peakFlops * (h.mfu ?? 0.4) * SECONDS_PER_HOUR;
}

/**
 * A budget C in FLOPs expressed as PF-days, accelerator-hours (C / (peak·MFU·3600)), wall-clock
 * days (hours / (gpus·24)) and cost (hours × price).
 * @example computeUnits(8.64e19).pfDays // → 1
 */
export function computeUnits(flops: number, hardware?: Hardware): ComputeUnits {
  const h = hardware ? checkHardware(hardware) : undefined;
  const gpuHours = h ? flops / flopsPerGpuHour(h) : null;
  return {
    flops,
    pfDays: flops / PF_DAY,
    gpuHours,
    days: h && gpuHours !== null ? gpuHours / (h.gpus * HOURS_PER_DAY) : null,
    cost:
      h && gpuHours !== null && h.pricePerGpuHour !== undefined
        ? gpuHours * h.pricePerGpuHour
        : null,
  };
}

/**
 * The budget that `gpus` accelerators deliver in `days` of wall-clock time:
 * C = gpus · days · 24 · 3600 · peak · MFU.
 * @example budgetFromHardware({ gpus: 1024, peakFlops: 9.89e14, mfu: 0.4 }, 30) // → 1.05e24
 */
export function budgetFromHardware(hardware: Hardware, days: number): number {
  const h = checkHardware(hardware);
  if (!(days > 0) || !Number.isFinite(days)) {
    throw new InputError(`days must be a positive number, got ${days}`, { field: "days" });
  }
  return h.gpus * days * HOURS_PER_DAY * flopsPerGpuHour(h);
}

/** Budget from PF-days: C = pfDays · 8.64·10^19. */
export function flopsFromPfDays(pfDays: number): number {
  return pfDays * PF_DAY;
}

/** Budget bought with `cost` at a price per accelerator-hour: C = cost/price · peak · MFU · 3600. */
export function flopsFromCost(
  cost: number,
  hardware: Hardware & { pricePerGpuHour: number },
): number {
  const h = checkHardware(hardware);
  if (!(hardware.pricePerGpuHour > 0)) {
    throw new InputError("a cost needs a positive pricePerGpuHour", {
      field: "pricePerGpuHour",
    });
  }
  return (cost / hardware.pricePerGpuHour) * flopsPerGpuHour(h);
}

/**
 * Validates a compute budget.
 * @throws InputError for a budget that is not a positive finite number
 */
export function checkBudget(flops: number, field = "budget"): number {
  if (!(flops > 0) || !Number.isFinite(flops)) {
    throw new InputError(`${field} must be a positive number of FLOPs, got ${flops}`, {
      field,
      hint: "e.g. 5.76e23",
    });
  }
  return flops;
}
