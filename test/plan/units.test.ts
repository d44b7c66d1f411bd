import assert from "node:assert/strict";
import { test } from "node:test";
import { getAccelerator } from "../../src/plan/accelerators.js";
import {
  budgetFromHardware,
  computeUnits,
  flopsFromCost,
  flopsFromPfDays,
  PF_DAY,
} from "../../src/plan/units.js";

const ulps = (a: number, b: number) => Math.abs(a - b) / (Number.EPSILON * Math.abs(b));

test("a PF-day is 1e15 FLOP/s for a day", () => {
  assert.equal(PF_DAY, 1e15 * 86400);
  assert.equal(computeUnits(8.64e19).pfDays, 1);
});

test("budget from 1024 H100s for 30 days at MFU 0.4", () => {
  // python3: 1024*30*24*3600*989e12*0.4 → 1.0500046848e+24 (12152.832 PF-days)
  const hw = { gpus: 1024, peakFlops: getAccelerator("H100").peakFlops, mfu: 0.4 };
  const C = budgetFromHardware(hw, 30);
  assert.ok(ulps(C, 1.0500046848e24) <= 2, `${C}`);
  assert.ok(ulps(computeUnits(C).pfDays, 12152.832) <= 2);
});

test("round trips budget ↔ GPUs × days ↔ PF-days ↔ cost are exact to rounding", () => {
  for (const name of ["a100", "h100", "mi300x", "tpu-v5p", "v100"]) {
    const hw = {
      gpus: 512,
      peakFlops: getAccelerator(name).peakFlops,
      mfu: 0.37,
      pricePerGpuHour: 2.5,
    };
    for (const C of [1e21, 5.76e23, 3.8e25]) {
      const u = computeUnits(C, hw);
      assert.ok(ulps(budgetFromHardware(hw, u.days ?? Number.NaN), C) <= 4, `${name} days`);
      assert.ok(ulps(flopsFromPfDays(u.pfDays), C) <= 2, `${name} pf-days`);
      assert.ok(ulps(flopsFromCost(u.cost ?? Number.NaN, hw), C) <= 4, `${name} cost`);
      assert.ok(ulps(u.cost ?? Number.NaN, (u.gpuHours ?? Number.NaN) * 2.5) <= 1);
    }
  }
});

test("bad hardware is an input error", () => {
  assert.throws(() => getAccelerator("h1000"), /unknown accelerator "h1000".*did you mean "h100"/);
  assert.throws(
    () => computeUnits(1e21, { gpus: 8, peakFlops: 1e15, mfu: 2 }),
    /mfu: mfu must be in \(0, 1\], got 2/,
  );
  assert.throws(
    () => budgetFromHardware({ gpus: 8, peakFlops: 1e15 }, -3),
    /days: days must be a positive number/,
  );
  assert.throws(
    () => computeUnits(1e21, { gpus: 0, peakFlops: 1e15 }),
    /gpus: gpus must be a positive number/,
  );
});
