import type { Hardware } from "../plan/units.js";
import { computeUnits } from "../plan/units.js";
import { fmt } from "./fit.js";

/** Human-readable lines for a budget in every unit. */
export function unitsText(flops: number, hw: Hardware | undefined): string[] {
  const u = computeUnits(flops, hw);
  const lines = [`compute    ${fmt(u.flops)} FLOPs = ${fmt(u.pfDays)} PF-days`];
  if (u.gpuHours !== null && hw) {
    lines.push(
      `hardware   ${fmt(u.gpuHours)} accelerator-hours at MFU ${hw.mfu ?? 0.4} = ${fmt(u.days ?? Number.NaN)} days on ${hw.gpus}`,
    );
  }
  if (u.cost !== null)
    lines.push(`cost       ${fmt(u.cost)} at ${hw?.pricePerGpuHour} per accelerator-hour`);
  return lines;
}
