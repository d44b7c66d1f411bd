import { join } from "node:path";
import type { RunTable } from "../types.js";
import { readCsv } from "./read.js";
import { RunTableBuilder } from "./rows.js";
import type { CorpusAdapter } from "./types.js";

/** The file of `epoch-research/analyzing-chinchilla` this adapter reads. */
export const EPOCH_CSV = "svg_extracted_data.csv";

/**
 * Chinchilla Fig. 4 as digitised by Epoch AI (Besiroglu et al. 2024, arXiv 2404.10102): one final
 * training loss per IsoFLOP run. Tokens are derived as Epoch does, D = C/(6N).
 */
export const epochAdapter: CorpusAdapter = {
  name: "epoch-chinchilla",
  title: "Chinchilla Fig. 4 IsoFLOP final losses, digitised by Epoch AI (245 runs)",
  notes: [
    "epoch-chinchilla: 245 runs, one row each; model = row<line> of svg_extracted_data.csv (each point is its own training run)",
    "params = 'Model Size' as digitised from Hoffmann et al. 2022 Fig. 4; flops = 'Training FLOP'; tokens = C/(6N) as in Epoch's notebook",
    "metric loss = final training loss on MassiveText; all 245 points kept (Epoch drops the 5 highest-loss points before fitting)",
    "the same points are in hitchhiker-colpret raw_data/chinchila_extracted.csv (family chinchilla there)",
  ],
  async load(dir: string): Promise<RunTable> {
    const csv = await readCsv(join(dir, EPOCH_CSV), ["Model Size", "Training FLOP", "loss"]);
    const out = new RunTableBuilder("corpus:epoch-chinchilla", "epoch-chinchilla");
    for (let r = 0; r < csv.length; r++) {
      const params = csv.number(r, "Model Size");
      const flops = csv.number(r, "Training FLOP");
      out.push({
        family: "epoch-chinchilla",
        model: `row${csv.line(r)}`,
        params,
        tokens: flops / (6 * params),
        flops,
        metric: "loss",
        value: csv.number(r, "loss"),
        arch: "dec",
        dataset: "MassiveText",
        line: csv.line(r),
      });
    }
    return out.build();
  },
};
