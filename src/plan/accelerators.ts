import { closest, InputError } from "../errors.js";

/** One accelerator: dense (no structured sparsity) peak throughput for mixed-precision training. */
export interface Accelerator {
  readonly name: string;
  /** Peak dense FLOP/s in the precision named by `precision`. */
  readonly peakFlops: number;
  readonly precision: "bf16" | "fp16";
  readonly source: string;
}

const T = 1e12;

/**
 * Dense peak throughput of common training accelerators. Vendors often quote the 2:4-sparsity
 * figure (twice these); the numbers here are the dense ones.
 */
export const ACCELERATORS: readonly Accelerator[] = [
  // NVIDIA A100 Tensor Core GPU datasheet (2021): BF16 312 TFLOPS dense (624 with sparsity).
  { name: "a100", peakFlops: 312 * T, precision: "bf16", source: "NVIDIA A100 datasheet" },
  // NVIDIA H100 datasheet (2023): SXM BF16 1,979 TFLOPS with sparsity, so 989 dense.
  { name: "h100", peakFlops: 989 * T, precision: "bf16", source: "NVIDIA H100 datasheet (SXM)" },
  {
    name: "h100-sxm",
    peakFlops: 989 * T,
    precision: "bf16",
    source: "NVIDIA H100 datasheet (SXM)",
  },
  // Same datasheet, PCIe: 1,513 TFLOPS with sparsity, so 756 dense.
  {
    name: "h100-pcie",
    peakFlops: 756 * T,
    precision: "bf16",
    source: "NVIDIA H100 datasheet (PCIe)",
  },
  // NVIDIA H200 datasheet (2024): SXM BF16 1,979 TFLOPS with sparsity (same compute as H100 SXM).
  { name: "h200", peakFlops: 989 * T, precision: "bf16", source: "NVIDIA H200 datasheet (SXM)" },
  // NVIDIA HGX B200 specifications (2024): FP16/BF16 4.5 PFLOPS with sparsity per GPU, 2.25 dense.
  {
    name: "b200",
    peakFlops: 2250 * T,
    precision: "bf16",
    source: "NVIDIA HGX B200 specifications",
  },
  // AMD Instinct MI300X datasheet (2023): BF16 1,307.4 TFLOPS dense (2,614.9 with sparsity).
  {
    name: "mi300x",
    peakFlops: 1307.4 * T,
    precision: "bf16",
    source: "AMD Instinct MI300X datasheet",
  },
  // AMD Instinct MI250X datasheet (2021): BF16 383 TFLOPS.
  {
    name: "mi250x",
    peakFlops: 383 * T,
    precision: "bf16",
    source: "AMD Instinct MI250X datasheet",
  },
  // Google Cloud TPU documentation, "TPU v4": 275 TFLOPS bf16 per chip.
  { name: "tpu-v4", peakFlops: 275 * T, precision: "bf16", source: "Google Cloud TPU v4 docs" },
  // Google Cloud TPU documentation, "TPU v5e": 197 TFLOPS bf16 per chip.
  { name: "tpu-v5e", peakFlops: 197 * T, precision: "bf16", source: "Google Cloud TPU v5e docs" },
  // Google Cloud TPU documentation, "TPU v5p": 459 TFLOPS bf16 per chip.
  { name: "tpu-v5p", peakFlops: 459 * T, precision: "bf16", source: "Google Cloud TPU v5p docs" },
  // Google Cloud TPU documentation, "Trillium (v6e)": 918 TFLOPS bf16 per chip.
  { name: "tpu-v6e", peakFlops: 918 * T, precision: "bf16", source: "Google Cloud TPU v6e docs" },
  // NVIDIA V100 datasheet (2020): SXM2 tensor performance 125 TFLOPS fp16 (no bf16 support).
  { name: "v100", peakFlops: 125 * T, precision: "fp16", source: "NVIDIA V100 datasheet (SXM2)" },
  // NVIDIA L40S datasheet (2023): BF16 733 TFLOPS with sparsity, 362 dense.
  { name: "l40s", peakFlops: 362 * T, precision: "bf16", source: "NVIDIA L40S datasheet" },
];

/** Accepted accelerator names, lowercase. */
export const acceleratorNames: readonly string[] = ACCELERATORS.map((a) => a.name);

/**
 * Looks an accelerator up by name, case-insensitively (`H100`, `h100-pcie`, `TPU-v5p`).
 * @throws InputError naming the closest known accelerator
 * @example getAccelerator("H100").peakFlops // → 9.89e14
 */
export function getAccelerator(name: string): Accelerator {
  const key = name.trim().toLowerCase().replace(/\s+/g, "-");
  const a = ACCELERATORS.find((x) => x.name === key);
  if (!a) {
    const near = closest(key, acceleratorNames);
    throw new InputError(
      `unknown accelerator "${name}" (expected ${acceleratorNames.join(" | ")})`,
      {
        field: "gpu",
        hint: near ? `did you mean "${near}"?` : "or give the peak FLOP/s instead",
      },
    );
  }
  return a;
}
