import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCount, formatFlops, formatGrouped, formatMoney } from "../../src/report/units.js";
import { runCli } from "../fixtures/cli.js";

test("sizes, FLOPs and money in the words people use", () => {
  assert.equal(formatCount(3.219e10, "params"), "32.2B params");
  assert.equal(formatCount(2.982e12, "tokens"), "2.98T tokens");
  assert.equal(formatFlops(5.76e23), "5.76e23");
  assert.equal(formatFlops(1e15), "1e15");
  assert.equal(formatFlops(5.8e23), "5.8e23");
  assert.equal(formatMoney(1.0322e6), "$1.03M");
  assert.equal(formatMoney(809e3), "$809K");
  assert.equal(formatMoney(2), "$2.00");
  assert.equal(formatMoney(1.0322e6, "EUR"), "1.03M EUR");
  assert.equal(formatMoney(1.0322e6, "€"), "€1.03M");
  assert.equal(formatGrouped(6666.67), "6,667");
});

test("plan and flops print sizes in words, the assumed peak, and costs in a currency", async () => {
  const p = await runCli(["plan", "--budget", "5.76e23", "--preset", "hoffmann"]);
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /compute {4}5\.76e23 FLOPs = 6,667 PF-days/);
  assert.match(p.out, /N {8}32\.2B params \(3\.219e\+10\)/);
  assert.match(p.out, /D {8}2\.98T tokens \(2\.982e\+12\)/);
  const f = await runCli([
    "flops",
    "--params",
    "70B",
    "--tokens",
    "1.4T",
    "--gpus",
    "1000",
    "--gpu",
    "h100",
    "--price-per-gpu-hour",
    "2.5",
  ]);
  assert.equal(f.code, 0, f.err);
  // 5.88e23 / (989e12 · 0.4 · 3600) = 412,875 accelerator-hours; × 2.5 = 1.03M (python3).
  assert.match(
    f.out,
    /412,875 accelerator-hours = 17\.2 days on 1000 × h100 \(peak 9\.89e14 FLOP\/s assumed, MFU 0\.4\)/,
  );
  assert.match(f.out, /cost {7}\$1\.03M at \$2\.50 per accelerator-hour/);
  const j = await runCli(["flops", "--budget", "1e24", "--gpus", "8", "--gpu", "h100", "--json"]);
  assert.deepEqual(JSON.parse(j.out).hardware, {
    accelerator: "h100",
    gpus: 8,
    peakFlops: 989e12,
    mfu: 0.4,
    pricePerGpuHour: null,
    currency: "$",
  });
  const bad = await runCli(["flops", "--budget", "1e24", "--currency", "EUR"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--currency does nothing without --price-per-gpu-hour/);
});
