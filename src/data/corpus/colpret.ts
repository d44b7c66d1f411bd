import { join } from "node:path";
import { parseDelimited } from "../csv.js";
import { parseSize } from "../size.js";
import type { RunTable } from "../types.js";
import { readText } from "./read.js";
import { RunTableBuilder } from "./rows.js";
import type { CorpusAdapter } from "./types.js";

/** The metric name of every row: the Hitchhiker `perf` (HITCHHIKER_SPEC §1.2), not always a loss. */
export const PERF_METRIC = "perf";

/** One canonical row before it is packed into columns. */
interface Row {
  family: string;
  model: string;
  params: number;
  tokens: number;
  flops?: number;
  value: number;
  step?: number;
  arch: string;
  dataset: string;
  source: string;
}

/**
 * The Hitchhiker's Guide families (Choshen et al. 2025) from the partial ColPret copy, mapped as
 * HITCHHIKER_SPEC §1 describes ColPret's `read_data.py`: one `perf` value per row (loss columns
 * as-is, perplexity columns as log2, OPT's perplexity left raw), tokens and N per family.
 */
export const colpretAdapter: CorpusAdapter = {
  name: "hitchhiker-colpret",
  title:
    "Hitchhiker's Guide (ColPret) families: OPT, GPT-3, Pile-T5, datablations, OLMo, Chinchilla, overtrain, RedPajama",
  notes: [
    "metric is `perf` (spec §1.2): loss columns as-is, perplexity columns as log2(ppl); rows with a missing value are dropped",
    "OPT: perf is raw validation perplexity (ColPret renames `ppl` to `loss`); D = steps × batch (0.5M/1M/2M/4M/2M by size); flops = 6ND",
    "gpt3: figure-digitised val_loss curves; D = the figure's x value (billions of tokens) × 1e9; N from gpt3_metadata.csv; points sharing a token count are all kept, numbered along each curve as their step",
    "t5-pile: perf = log2(val_perplexity) (≈ 0.05); D = steps × 1e6; N from ColPret's table (247.6M–11.1B); step 0 dropped",
    "GPT2-{c4,oscar}-{epochs}: datablations curves, family per corpus and repetition count (ColPret writes the epochs as 4.0; we write 4)",
    "olmo: perf = mean of the row's non-missing *CrossEntropyLoss columns; D = Step × 4e6; OLMo-7B-Twin-2T left out",
    "chinchilla: final losses digitised from Hoffmann et al. Fig. 4; N rounded to 1e7 (one model per rounded size); D = FLOPs/(6N) with the unrounded N",
    "overtrain-{C4,RedPajama,RefinedWeb}: final points only (training curves missing); per size the run with the largest compute multiplier; perf = loss_openlm",
    "redPajama: figure-digitised train loss of the 2.4B and 6.7B RedPajama-INCITE runs; D = billions × 1e9",
    "Pythia families are not here (pythia.csv is missing from the snapshot); see the pythia-evals adapter",
  ],
  async load(dir) {
    const files = new Map<string, string>();
    await Promise.all(FILES.map(async (rel) => files.set(rel, await readText(join(dir, rel)))));
    const read = (rel: string) => records(join(dir, rel), files.get(rel) as string);
    const rows = [
      ...opt(read),
      ...gpt3(read),
      ...t5Pile(read),
      ...datablations(read),
      ...olmo(read),
      ...chinchilla(read),
      ...overtrain(read),
      ...redPajama(read),
    ];
    return pack(rows, `corpus:${colpretAdapter.name}`);
  },
};

/** Every file the adapter reads, relative to the dataset folder. */
const FILES = [
  "aggregated_eval/opt_trajectories.csv",
  "raw_data/gpt3/gpt3_metadata.csv",
  "raw_data/gpt3/extracted.csv",
  "aggregated_eval/t5_pile.csv",
  "aggregated_eval/datablations_losses.csv",
  "aggregated_eval/olmo.csv",
  "raw_data/chinchila_extracted.csv",
  "raw_data/overtrain/overtrain_downstreams.csv",
  "raw_data/redPajama/2.4B.csv",
  "raw_data/redPajama/6.7B.csv",
];

type Read = (rel: string) => Record<string, string>[];

/** Parses CSV text as records keyed by header name (the RedPajama files have no header). */
function records(path: string, text: string): Record<string, string>[] {
  const d = parseDelimited(path.includes("redPajama") ? `tokens,loss\n${text}` : text, path);
  return d.rows.map((r) => Object.fromEntries(d.header.map((h, i) => [h, r[i]])));
}

/** Size in ColPret's `to_str` style as the spec's names show it: `2.80B`, `175.00B`, `0.13B`. */
export function sizeName(n: number): string {
  if (n > 1e12) return `${(n / 1e12).toFixed(2)}T`;
  if (n > 1e8) return `${(n / 1e9).toFixed(2)}B`;
  if (n > 1e5) return `${(n / 1e6).toFixed(2)}M`;
  return String(n);
}

const num = (s: string | undefined): number =>
  s === undefined || s.trim() === "" ? Number.NaN : Number(s);

/** OPT batch size in tokens by model size (Zhang et al. 2022, Table 1, as ColPret encodes it). */
function optBatch(n: number): number {
  if (n < 1e9) return 5e5;
  if (n < 6e9) return 1e6;
  if (n < 1e10) return 2e6;
  if (n < 6e10) return 4e6;
  return 2e6;
}

function opt(read: Read): Row[] {
  return read("aggregated_eval/opt_trajectories.csv").map((r) => {
    const n = parseSize(r.model_size);
    const steps = num(r.steps);
    return {
      family: "OPT",
      model: `OPT-${sizeName(n)}`,
      params: n,
      tokens: steps * optBatch(n),
      value: num(r.ppl),
      step: steps,
      arch: "dec",
      dataset: "OPT(ROBERTA_PILE_REDDIT)",
      source: "training_trajectories",
    };
  });
}

/** Keys of extracted.csv in the order of gpt3_metadata.csv's rows. */
const GPT3_KEYS = ["small", "medium", "large", "xl", "2.7b", "6.7b", "13b", "175b"];

function gpt3(read: Read): Row[] {
  const meta = read("raw_data/gpt3/gpt3_metadata.csv");
  const byKey = new Map(
    GPT3_KEYS.map((k, i) => [
      k,
      { name: meta[i].model_name.replace(/ or .*$/, ""), n: parseSize(meta[i].num_params) },
    ]),
  );
  const out: Row[] = [];
  for (const r of read("raw_data/gpt3/extracted.csv")) {
    const m = byKey.get(r.model);
    const value = num(r.val_loss);
    if (!m || !Number.isFinite(value)) continue;
    out.push({
      step: Number.NaN,
      family: "gpt3",
      model: m.name,
      params: m.n,
      tokens: num(r.step) * 1e9,
      value,
      arch: "dec",
      dataset: "gpt3-mix",
      source: "gpt3 - arxiv.org-abs-2005.14165",
    });
  }
  // Points digitised from a thick curve share token counts with different losses. ColPret keeps them
  // all; so do we, numbering them along each curve (by tokens, then loss) so each has its own step.
  out.sort((a, b) =>
    a.model < b.model ? -1 : a.model > b.model ? 1 : a.tokens - b.tokens || a.value - b.value,
  );
  let k = 0;
  out.forEach((row, i) => {
    k = i > 0 && out[i - 1].model === row.model ? k + 1 : 1;
    row.step = k;
  });
  return out;
}

/** Pile-T5 parameter counts as ColPret's table gives them. */
const T5_PARAMS: Record<string, number> = {
  base: 247586304,
  large: 783173632,
  xl: 2849804288,
  xxl: 11135426560,
};

function t5Pile(read: Read): Row[] {
  const out: Row[] = [];
  for (const r of read("aggregated_eval/t5_pile.csv")) {
    const steps = num(r.steps);
    if (!(steps > 0)) continue;
    out.push({
      family: "t5-pile",
      model: `pile-t5-${r.model_name}`,
      params: T5_PARAMS[r.model_name],
      tokens: steps * 1e6,
      value: Math.log2(num(r.val_perplexity)),
      step: steps,
      arch: "enc-dec",
      dataset: "pile-deduped",
      source: "t5-pile",
    });
  }
  return out;
}

function datablations(read: Read): Row[] {
  return read("aggregated_eval/datablations_losses.csv").map((r) => {
    const n = parseSize(r.num_params);
    const epochs = num(r.epochs);
    return {
      family: `GPT2-${r.data}-${epochs}`,
      model: `GPT2-${sizeName(n)}-${r.data}-${epochs}`,
      params: n,
      tokens: num(r.token_num),
      value: num(r.loss),
      arch: "dec",
      dataset: r.data,
      source: "datablations",
    };
  });
}

function olmo(read: Read): Row[] {
  const out: Row[] = [];
  for (const r of read("aggregated_eval/olmo.csv")) {
    if (r.model_name.trim() === "OLMo-7B-Twin-2T") continue;
    const losses = Object.keys(r)
      .filter((k) => k.includes("CrossEntropyLoss"))
      .map((k) => num(r[k]))
      .filter(Number.isFinite);
    const step = num(r.Step);
    if (losses.length === 0 || !(step > 0)) continue;
    out.push({
      family: "olmo",
      model: r.model_name.trim(),
      params: parseSize(r.num_params),
      tokens: step * 4e6,
      value: losses.reduce((a, b) => a + b, 0) / losses.length,
      step,
      arch: "dec",
      dataset: "dolma",
      source: "olmo",
    });
  }
  return out;
}

function chinchilla(read: Read): Row[] {
  return read("raw_data/chinchila_extracted.csv").map((r) => {
    const n = num(r["Model Size"]);
    const c = num(r["Training FLOP"]);
    const rounded = Math.round(n / 1e7) * 1e7;
    return {
      family: "chinchilla",
      model: `chin${rounded}`,
      params: rounded,
      tokens: c / (6 * n),
      flops: c,
      value: num(r.loss),
      arch: "dec",
      dataset: "MassiveText",
      source: "chinchilla",
    };
  });
}

const OVERTRAIN_DATA: Record<string, string> = {
  c4_original: "C4",
  rpj: "RedPajama",
  rw_original: "RefinedWeb",
  pile: "Pile",
};

function overtrain(read: Read): Row[] {
  const all = read("raw_data/overtrain/overtrain_downstreams.csv").filter(
    (r) => OVERTRAIN_DATA[r.dataset_name],
  );
  const best = new Map<string, Record<string, string>>();
  for (const r of all) {
    const key = `${r.dataset_name}\u0000${r.N}`;
    const prev = best.get(key);
    if (!prev || num(r.cc_mult) > num(prev.cc_mult)) best.set(key, r);
  }
  return [...best.values()].map((r) => ({
    family: `overtrain-${OVERTRAIN_DATA[r.dataset_name]}`,
    model: r.name,
    params: num(r.N),
    tokens: num(r.D),
    flops: num(r.flops),
    value: num(r.loss_openlm),
    arch: "dec",
    dataset: OVERTRAIN_DATA[r.dataset_name],
    source: "overtrain",
  }));
}

function redPajama(read: Read): Row[] {
  const out: Row[] = [];
  for (const [file, n] of [
    ["2.4B", 2.4e9],
    ["6.7B", 6.7e9],
  ] as const) {
    for (const { tokens: t, loss: l } of read(`raw_data/redPajama/${file}.csv`)) {
      out.push({
        family: "redPajama",
        model: `redPajama${file.replace("B", "")}`,
        params: n,
        tokens: Math.trunc(num(t) * 1e9),
        value: num(l),
        arch: "dec",
        dataset: "redPajama",
        source: "blog-redpajama-7b",
      });
    }
  }
  return out;
}

/** Packs rows into the columnar table, dropping rows whose perf or tokens are unusable (spec §1.2). */
function pack(all: Row[], origin: string): RunTable {
  const table = new RunTableBuilder(origin, "");
  for (const r of all) {
    if (Number.isFinite(r.value) && r.value > 0 && r.tokens > 0 && r.params > 0) {
      table.push({ ...r, metric: PERF_METRIC });
    }
  }
  return table.build();
}
