import { formatSize } from "../data/size.js";
import { computeUnits, type Hardware } from "../plan/units.js";

/** A count in words people use: `32.2B params`, `2.98T tokens`. */
export function formatCount(v: number, noun: string): string {
  return `${formatSize(v)} ${noun}`;
}

/** FLOPs as engineers write them: `5.76e23` (three significant digits, no `+`). */
export function formatFlops(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3))
    return v
      .toExponential(2)
      .replace(/\.?0+e/, "e")
      .replace("e+", "e");
  return String(Number(v.toPrecision(3)));
}

/**
 * Money with a suffix: `$1.03M`, `$512K`, `$12.35`. A three-letter code goes after the amount
 * (`1.03M EUR`); a symbol goes before it.
 */
export function formatMoney(v: number, currency = "$"): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const amount =
    a >= 1e3 ? formatSize(v) : a >= 1 ? v.toFixed(2) : String(Number(v.toPrecision(3)));
  return /^[A-Za-z]{3}$/.test(currency)
    ? `${amount} ${currency.toUpperCase()}`
    : `${currency}${amount}`;
}

/** A whole number with thousands separators: `6,667`. */
export function formatGrouped(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const r = Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3));
  return r.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Human-readable lines for a budget in every unit. */
export function unitsText(flops: number, hw: Hardware | undefined, currency = "$"): string[] {
  const u = computeUnits(flops, hw);
  const lines = [`compute    ${formatFlops(u.flops)} FLOPs = ${formatGrouped(u.pfDays)} PF-days`];
  if (u.gpuHours !== null && hw) {
    lines.push(
      `hardware   ${formatGrouped(u.gpuHours)} accelerator-hours = ${formatGrouped(u.days ?? Number.NaN)} days on ${hw.gpus} × ${hw.name ?? "accelerators"} (peak ${formatFlops(hw.peakFlops)} FLOP/s assumed, MFU ${hw.mfu ?? 0.4})`,
    );
  }
  if (u.cost !== null)
    lines.push(
      `cost       ${formatMoney(u.cost, currency)} at ${formatMoney(hw?.pricePerGpuHour ?? Number.NaN, currency)} per accelerator-hour`,
    );
  return lines;
}

/** The hardware assumed, for JSON: accelerator, count, peak FLOP/s, MFU, price. */
export function hardwareJson(hw: Hardware | undefined, currency = "$") {
  if (!hw) return {};
  return {
    hardware: {
      accelerator: hw.name ?? null,
      gpus: hw.gpus,
      peakFlops: hw.peakFlops,
      mfu: hw.mfu ?? 0.4,
      pricePerGpuHour: hw.pricePerGpuHour ?? null,
      currency,
    },
  };
}
