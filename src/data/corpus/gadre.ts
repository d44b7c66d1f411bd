import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import type { RunTable } from "../types.js";
import { listDir, readJson } from "./read.js";
import { RunTableBuilder } from "./rows.js";
import type { CorpusAdapter } from "./types.js";

/** Folder of per-model JSONs in `mlfoundations/scaling`; the adapter flattens them itself. */
export const GADRE_MODELS = "exp_data/models";

/** Folder of per-model downstream evaluations (`evaluation_<model>_heavy.json`, 46 ICL tasks). */
export const GADRE_EVALS = "exp_data/evals";

/**
 * The 17 tasks of Gadre et al.'s "17-task split" (`SUBSET` in `scaling/constants.py` of
 * mlfoundations/scaling): those where a 0.154B model beats chance by 10 points. `err_avg_subset` is
 * their mean top-1 error, `err_avg` the mean over all 46.
 */
export const GADRE_SUBSET: readonly string[] = [
  "bigbench_operators",
  "pubmed_qa_labeled",
  "hellaswag_zeroshot",
  "boolq",
  "arc_easy",
  "coqa",
  "bigbench_dyck_languages",
  "lambada_openai",
  "bigbench_novel_concepts",
  "winograd",
  "bigbench_cs_algorithms",
  "commonsense_qa",
  "bigbench_qa_wikidata",
  "hellaswag",
  "copa",
  "squad",
  "piqa",
];

/**
 * Gadre et al. 2024, "Language models scale reliably with over-training and on downstream tasks"
 * (arXiv 2403.08540): 104 open_lm runs, final checkpoints only, 8 validation losses each. One family
 * per training set, so a law is never fitted across corpora.
 */
export const gadreAdapter: CorpusAdapter = {
  name: "gadre-overtrain",
  title: "Gadre et al. 2024 over-training testbed: 104 open_lm runs, 11M-6.9B, 8 validation losses",
  notes: [
    "families gadre-c4_original (34 runs), gadre-rpj (35), gadre-rw_original (35): one per training set (dataset_name)",
    "model = the repo's run name <dataset>-<arch>-<cc_mult>; read from exp_data/models/*.json, final checkpoint only (step NaN)",
    "params = hyperparameters.params, which includes embeddings (params_no_embed is not used); tokens = hyperparameters.tokens (= 20·cc_mult·N); flops = 6ND",
    "metrics loss_<evalset>, token-averaged NLL per validation set named from val_data: loss_c4_val is the paper's main 'C4 eval' (fit target of the paper); also loss_openlm, loss_paloma_*, loss_de-en",
    "seed = the --seed of open_lm_args (124 for every run)",
    "downstream, from exp_data/evals when present: err_<task> = 1 − accuracy for the 46 ICL tasks, err_avg (their mean) and err_avg_subset (the paper's 17-task split), as the repo's shared.py computes them",
  ],
  async load(dir: string): Promise<RunTable> {
    const folder = join(dir, GADRE_MODELS);
    const files = (await listDir(folder)).filter((f) => f.endsWith(".json"));
    const out = new RunTableBuilder("corpus:gadre-overtrain", "gadre-overtrain");
    for (const f of files) {
      const file = join(folder, f);
      const run = parseRun(await readJson(file), file);
      const evalFile = join(dir, GADRE_EVALS, `evaluation_${f.replace(/\.json$/, "")}_heavy.json`);
      const downstream = existsSync(evalFile) ? parseEvals(await readJson(evalFile), evalFile) : [];
      for (const { metric, value } of [...run.losses, ...downstream]) {
        out.push({
          family: `gadre-${run.dataset}`,
          model: run.name,
          params: run.params,
          tokens: run.tokens,
          metric,
          value,
          seed: run.seed,
          arch: "dec",
          dataset: run.dataset,
        });
      }
    }
    return out.build();
  },
};

interface GadreRun {
  name: string;
  dataset: string;
  params: number;
  tokens: number;
  seed: string;
  losses: { metric: string; value: number }[];
}

/** Reads the fields we need from one model JSON, naming the missing field if the layout differs. */
function parseRun(json: unknown, file: string): GadreRun {
  const bad = (field: string, why = "is missing or not of the expected type"): never => {
    throw new InputError(`${field} ${why}`, {
      file,
      field,
      hint: "expected a model JSON of mlfoundations/scaling exp_data/models",
    });
  };
  const j = json as Record<string, unknown>;
  const hp = (j?.hyperparameters ?? bad("hyperparameters")) as Record<string, unknown>;
  const positive = (v: unknown, field: string) => (typeof v === "number" && v > 0 ? v : bad(field));
  const name = typeof j.name === "string" ? j.name : bad("name");
  const dataset = typeof j.dataset_name === "string" ? j.dataset_name : bad("dataset_name");
  const args = Array.isArray(j.open_lm_args) ? (j.open_lm_args as unknown[]) : [];
  const seedAt = args.indexOf("--seed");
  const results = Array.isArray(j.results)
    ? (j.results as Record<string, unknown>[])
    : bad("results");
  const losses = results.map((r, i) => {
    const path = Array.isArray(r.val_data) ? String(r.val_data[0]) : bad(`results[${i}].val_data`);
    return { metric: `loss_${evalSetName(path)}`, value: positive(r.loss, `results[${i}].loss`) };
  });
  return {
    name,
    dataset,
    params: positive(hp.params, "hyperparameters.params"),
    tokens: positive(hp.tokens, "hyperparameters.tokens"),
    seed: seedAt >= 0 ? String(args[seedAt + 1]) : "0",
    losses,
  };
}

/**
 * Names a validation set from its shard path: `…/val_tok_mult/paloma_ptb/00000001.tar` → `paloma_ptb`,
 * `…/c4_val/shard-{…}.tar` → `c4_val` (the folder that holds the shards).
 */
export function evalSetName(path: string): string {
  const parts = path.split("/");
  return parts[parts.length - 2] ?? path;
}

/**
 * Top-1 errors of one evaluation JSON (`eval_metrics.icl`: task → accuracy), plus the 46-task and
 * 17-task means the paper fits.
 */
function parseEvals(json: unknown, file: string): { metric: string; value: number }[] {
  const icl = (json as { eval_metrics?: { icl?: Record<string, unknown> } })?.eval_metrics?.icl;
  if (!icl || typeof icl !== "object")
    throw new InputError("eval_metrics.icl is missing", {
      file,
      field: "eval_metrics.icl",
      hint: "expected an evaluation JSON of mlfoundations/scaling exp_data/evals",
    });
  const out: { metric: string; value: number }[] = [];
  let all = 0;
  let subset = 0;
  for (const [task, acc] of Object.entries(icl)) {
    if (typeof acc !== "number" || !(acc >= 0 && acc <= 1))
      throw new InputError(`accuracy of ${task} is not in [0, 1] (${JSON.stringify(acc)})`, {
        file,
        field: `eval_metrics.icl.${task}`,
      });
    out.push({ metric: `err_${task}`, value: 1 - acc });
    all += 1 - acc;
    if (GADRE_SUBSET.includes(task)) subset += 1 - acc;
  }
  const inSubset = GADRE_SUBSET.filter((t) => t in icl).length;
  if (out.length > 0) out.push({ metric: "err_avg", value: all / out.length });
  if (inSubset === GADRE_SUBSET.length)
    out.push({ metric: "err_avg_subset", value: subset / inSubset });
  return out;
}
