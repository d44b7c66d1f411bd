import { join } from "node:path";
import type { RunTable } from "../types.js";
import { readCsv } from "./read.js";
import { concatTables, RunTableBuilder } from "./rows.js";
import type { CorpusAdapter } from "./types.js";

/** Files of `linhaowei1/SLD` data/ (commit 61c9d59) that map onto (N, D) runs. */
export const SLDBENCH_FILES = {
  dataConstrained: "data_constrained_scaling_law/data.csv",
  lr: "lr_scaling_law/dense_lr_bs_loss.csv",
  vocab: "vocab_scaling_law/data.csv",
} as const;

const SOURCE = "sldbench-github";

/**
 * Early SLDBench tables (Lin et al., arXiv 2507.21184), each re-packaged from another paper. Three
 * map onto runs with N and D; the mixture and fine-tuning tables do not and are not loaded.
 */
export const sldbenchAdapter: CorpusAdapter = {
  name: SOURCE,
  title: "SLDBench tables: data-constrained (Muennighoff), StepFun lr/bs grid, vocabulary (Tao)",
  notes: [
    "sldbench-data-constrained: Muennighoff et al. 2023 final losses, 182 runs (model = id); params as given (7.1M-8.67B); the file's column names are swapped, so tokens (D, trained) = its unique_tokens column and uniqueTokens (U) = its tokens column (every row has unique_tokens >= tokens, and ids such as 14m400m100m / 14m14b100m differ only in training length); metric loss",
    "sldbench-stepfun-lr: StepFun 'Predictable Scale' (arXiv 2503.04715) lr x batch-size grid, one run per exp_name (1,911 runs, 5 sizes 215M-1.07B); metrics loss and smooth_loss; lr and batch size live only in the model name, so pick the best (lr, bs) per (N, D) before fitting; the 117 rows without loss or exp_name (all N = 1.07B, D = 1e13, a placeholder) are dropped",
    "sldbench-vocab: Tao et al. 2024 'Scaling laws with vocabulary' (arXiv 2407.13623), 60 runs x 20 points; model = V<vocab_size>-E<embed_dim>-N<non-vocab params>; params = Non_vocab_parameters (embeddings excluded); tokens = FLOPs/(6·N), the token count implied by the table's FLOPs (num_characters is characters, 2.83 per token throughout); metric unigram_normalized = the table's Lossu (loss minus the unigram model's, negative by construction); named without 'loss' because it is not a cross-entropy and the store rejects losses <= 0",
    "not loaded: domain_mixture_scaling_law (mixture proportions, no D) and rectified_scaling_law (fine-tuning curves, no parameter counts)",
  ],
  async load(dir: string): Promise<RunTable> {
    const tables = [await dataConstrained(dir), await stepfun(dir), await vocab(dir)];
    return concatTables(tables, `corpus:${SOURCE}`);
  },
};

/**
 * The datablations final losses. The file's `unique_tokens` column holds the tokens trained and its
 * `tokens` column the unique tokens (see the note above and docs/planning.md), so they are read
 * crosswise: U ≤ D on every row, as repeated epochs require.
 */
async function dataConstrained(dir: string): Promise<RunTable> {
  const csv = await readCsv(join(dir, SLDBENCH_FILES.dataConstrained), [
    "id",
    "params",
    "unique_tokens",
    "tokens",
    "loss",
  ]);
  const out = new RunTableBuilder(`corpus:${SOURCE}`, SOURCE);
  for (let r = 0; r < csv.length; r++) {
    out.push({
      family: "sldbench-data-constrained",
      model: csv.text(r, "id"),
      params: csv.number(r, "params"),
      tokens: csv.number(r, "unique_tokens"),
      uniqueTokens: csv.number(r, "tokens"),
      metric: "loss",
      value: csv.number(r, "loss"),
      arch: "dec",
      line: csv.line(r),
    });
  }
  return out.build();
}

async function stepfun(dir: string): Promise<RunTable> {
  const csv = await readCsv(join(dir, SLDBENCH_FILES.lr), [
    "N",
    "D",
    "loss",
    "smooth loss",
    "exp_name",
  ]);
  const out = new RunTableBuilder(`corpus:${SOURCE}`, SOURCE);
  for (let r = 0; r < csv.length; r++) {
    const loss = csv.number(r, "loss", true);
    if (Number.isNaN(loss) && csv.text(r, "exp_name") === "") continue;
    const run = {
      family: "sldbench-stepfun-lr",
      model: csv.text(r, "exp_name"),
      params: csv.number(r, "N"),
      tokens: csv.number(r, "D"),
      arch: "dec",
      line: csv.line(r),
    };
    out.push({ ...run, metric: "loss", value: csv.number(r, "loss") });
    out.push({ ...run, metric: "smooth_loss", value: csv.number(r, "smooth loss") });
  }
  return out.build();
}

async function vocab(dir: string): Promise<RunTable> {
  const cols = ["vocab_size", "embed_dim", "Non_vocab_parameters", "FLOPs", "Lossu"];
  const csv = await readCsv(join(dir, SLDBENCH_FILES.vocab), cols);
  const out = new RunTableBuilder(`corpus:${SOURCE}`, SOURCE);
  for (let r = 0; r < csv.length; r++) {
    const params = csv.number(r, "Non_vocab_parameters");
    const flops = csv.number(r, "FLOPs");
    out.push({
      family: "sldbench-vocab",
      model: `V${csv.number(r, "vocab_size")}-E${csv.number(r, "embed_dim")}-N${params}`,
      params,
      tokens: flops / (6 * params),
      flops,
      metric: "unigram_normalized",
      value: csv.number(r, "Lossu"),
      arch: "dec",
      line: csv.line(r),
    });
  }
  return out.build();
}
