import { join } from "node:path";
import { InputError } from "../../errors.js";
import type { RunTable } from "../types.js";
import { listDir, readJson } from "./read.js";
import { RunTableBuilder } from "./rows.js";
import type { CorpusAdapter } from "./types.js";

/** Folder of `EleutherAI/pythia` holding one folder per model with lm-eval-harness JSONs. */
export const PYTHIA_EVALS = "evals/pythia-v1";

/** Tokens per optimizer step: 1024 sequences × 2048 tokens (Biderman et al. 2023, §2). */
export const PYTHIA_TOKENS_PER_STEP = 2_097_152;

/**
 * Total parameters including embeddings, as the Pythia suite counts them since its January 2023
 * renaming (Biderman et al. 2023, Table 1; the model cards on the Hugging Face hub).
 */
export const PYTHIA_PARAMS: Readonly<Record<string, number>> = {
  "70m": 70_426_624,
  "160m": 162_322_944,
  "410m": 405_334_016,
  "1b": 1_011_781_632,
  "1.4b": 1_414_647_808,
  "2.8b": 2_775_208_960,
  "6.9b": 6_857_302_016,
  "12b": 11_846_072_320,
};

/**
 * Pythia (Biderman et al. 2023, arXiv 2304.01373) lm-eval results per checkpoint. The only
 * loss-like number is LAMBADA (OpenAI) perplexity, which the Hitchhiker's Guide fits as log2(ppl);
 * it is stored raw here. Family names follow the Hitchhiker: the model name without its size.
 */
export const pythiaAdapter: CorpusAdapter = {
  name: "pythia-evals",
  title: "Pythia 70M-12B (standard and deduped) LAMBADA perplexity at 27 checkpoints",
  notes: [
    "families pythia (7 sizes; pythia-1b is absent upstream) and pythia-deduped (8 sizes): the model name with its size removed, as in the Hitchhiker's Guide",
    "read from evals/pythia-v1/<model>/{zero-shot,five-shot}/*.json; step from config.model_args revision=stepN; tokens = step × 2,097,152 (1024 × 2048-token sequences)",
    "params = total parameters including embeddings (Pythia's post-2023 naming: 70m = 70,426,624 ... 12b = 11,846,072,320)",
    "metrics lambada_openai_ppl (zero-shot, 26 checkpoints per model) and lambada_openai_ppl_5shot (15 checkpoints): raw perplexity, not a loss; Hitchhiker's perf is log2 of it",
    "step 0 (tokens = 0, an untrained model) is dropped; other tasks (accuracies) and the OPT/BLOOM final evals (no token counts) are not loaded; seed 0 (not recorded)",
  ],
  async load(dir: string): Promise<RunTable> {
    const root = join(dir, PYTHIA_EVALS);
    const out = new RunTableBuilder("corpus:pythia-evals", "pythia-evals");
    for (const model of await listDir(root)) {
      const m = /^pythia-([\d.]+[mb])(-deduped)?$/.exec(model);
      if (!m) continue;
      const params = PYTHIA_PARAMS[m[1]];
      if (params === undefined) {
        throw new InputError(`unknown Pythia size "${m[1]}"`, {
          file: join(root, model),
          hint: `known sizes: ${Object.keys(PYTHIA_PARAMS).join(", ")}`,
        });
      }
      for (const shots of ["zero-shot", "five-shot"]) {
        const folder = join(root, model, shots);
        const files = (await listDir(folder).catch(() => [])).filter((f) => f.endsWith(".json"));
        for (const f of files) {
          const file = join(folder, f);
          const e = parseEval(await readJson(file), file);
          if (e.step <= 0 || e.ppl === undefined) continue;
          out.push({
            family: m[2] ? "pythia-deduped" : "pythia",
            model,
            params,
            tokens: e.step * PYTHIA_TOKENS_PER_STEP,
            metric: e.shots === 0 ? "lambada_openai_ppl" : `lambada_openai_ppl_${e.shots}shot`,
            value: e.ppl,
            step: e.step,
            arch: "dec",
            dataset: m[2] ? "Pile (deduplicated)" : "Pile",
          });
        }
      }
    }
    return out.build();
  },
};

/** Step, shot count and LAMBADA perplexity of one lm-eval-harness result file. */
function parseEval(json: unknown, file: string): { step: number; shots: number; ppl?: number } {
  const j = json as {
    results?: Record<string, Record<string, unknown>>;
    config?: Record<string, unknown>;
  };
  const args = String(j?.config?.model_args ?? "");
  const step = Number(/revision=step(\d+)/.exec(args)?.[1] ?? /_step(\d+)\.json$/.exec(file)?.[1]);
  const shots = Number(j?.config?.num_fewshot);
  if (!Number.isFinite(step) || !Number.isInteger(shots)) {
    throw new InputError("cannot tell the checkpoint step or shot count", {
      file,
      field: "config",
      hint: "expected an lm-eval-harness JSON with config.model_args revision=stepN and config.num_fewshot",
    });
  }
  const ppl = j.results?.lambada_openai?.ppl;
  if (ppl !== undefined && !(typeof ppl === "number" && ppl > 0)) {
    throw new InputError(`lambada_openai ppl is not a positive number (${JSON.stringify(ppl)})`, {
      file,
      field: "results.lambada_openai.ppl",
      hint: "download the file again",
    });
  }
  return { step, shots, ppl: ppl as number | undefined };
}
