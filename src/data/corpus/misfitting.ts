import { join } from "node:path";
import type { RunTable } from "../types.js";
import { readCsv } from "./read.js";
import { RunTableBuilder } from "./rows.js";
import type { CorpusAdapter } from "./types.js";

/** The checkpoint table of `hadasah/scaling_laws` data/ this adapter reads. */
export const MISFITTING_CSV = "scaling_results.csv";

const COLUMNS = [
  "loss",
  "N",
  "D",
  "C",
  "model",
  "total_steps",
  "current_steps",
  "peak_lr",
  "sweep",
];

/**
 * Li, Kudugunta, Zettlemoyer 2025, "(Mis)Fitting scaling laws" (arXiv 2502.18969): the authors' own
 * open_lm sweeps, 12M-1B, with intermediate checkpoints and several peak learning rates per size.
 *
 * The file has no run id. A run is a contiguous block of rows with the same (sweep, model,
 * total_steps, peak_lr) and increasing current_steps: this gives 263 runs, and the 261 that reach
 * portion_steps_elapsed = 1 are exactly the rows of scaling_results_last_ckpt_only.csv.
 */
export const misfittingAdapter: CorpusAdapter = {
  name: "misfitting-li2025",
  title: "Li et al. 2025 (Mis)Fitting open_lm sweeps: 57M-1.18B, 263 runs with checkpoints",
  notes: [
    "misfitting: one family, 11 sizes (misfitting_12m ... misfitting_1b), 263 runs from scaling_results.csv (4,852 rows)",
    "model = <size>-T<total_steps>-lr<peak_lr>; runs that repeat the same key within a sweep get -r2, -r3 (18 keys, mostly misfitting_17m in sweep 2024_11_10-23_08_29, whose blocks look like partial re-logs)",
    "params = N (includes embeddings; the file also has N_no_emb, not used); tokens = D (tokens seen at the checkpoint; train_tokens equals D in every row, so it is not the planned total); flops = C (the authors' FLOP count; C_6ND differs by <1e-9)",
    "metric loss = C4 Eval Loss (identical to the file's loss column); step = current_steps; seed 0 (no seeds recorded)",
    "two misfitting_70m rows sit at step 256 of a 250-step run (portion 1.024); kept as given. MoE sweeps (gshard.csv, spm.csv, 12M only) are not loaded",
  ],
  async load(dir: string): Promise<RunTable> {
    const csv = await readCsv(join(dir, MISFITTING_CSV), COLUMNS);
    const out = new RunTableBuilder("corpus:misfitting-li2025", "misfitting-li2025");
    const seen = new Map<string, number>();
    let prevKey = "";
    let prevStep = Number.NEGATIVE_INFINITY;
    let model = "";
    for (let r = 0; r < csv.length; r++) {
      const size = csv.text(r, "model");
      const key = `${csv.text(r, "sweep")}|${size}|${csv.text(r, "total_steps")}|${csv.text(r, "peak_lr")}`;
      const step = csv.number(r, "current_steps");
      if (key !== prevKey || !(step > prevStep)) {
        const name = `${size.replace(/^misfitting_/, "")}-T${csv.text(r, "total_steps")}-lr${csv.text(r, "peak_lr")}`;
        const k = (seen.get(name) ?? 0) + 1;
        seen.set(name, k);
        model = `misfitting_${k === 1 ? name : `${name}-r${k}`}`;
      }
      prevKey = key;
      prevStep = step;
      out.push({
        family: "misfitting",
        model,
        params: csv.number(r, "N"),
        tokens: csv.number(r, "D"),
        flops: csv.number(r, "C"),
        metric: "loss",
        value: csv.number(r, "loss"),
        step,
        arch: "dec",
        line: csv.line(r),
      });
    }
    return out.build();
  },
};
