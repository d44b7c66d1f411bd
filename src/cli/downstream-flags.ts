import { concatTables } from "../data/corpus/rows.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { DownstreamSpec } from "../estimate/downstream.js";
import { LINK_NAMES, type LinkName } from "../estimate/link-fit.js";
import { numberFlag } from "./args.js";
import { type Flags, type FlagValues, str } from "./flags.js";
import type { Io } from "./io.js";
import { readTable, type TABLE_FLAGS } from "./table-input.js";

/** Flags that turn a loss forecast into a downstream one (evaluate, predict); described in {@link DOWNSTREAM_HELP}. */
export const DOWNSTREAM_FLAGS = {
  via: str("TASK_LOSS"),
  chance: str("P"),
  route: str("NAME"),
  link: str("NAME"),
  "step2-models": str("A,B"),
} as const satisfies Flags;

/** What the downstream flags read: their own values and the metric to forecast. */
type DownstreamValues = FlagValues<typeof DOWNSTREAM_FLAGS> & { metric?: string };

export const DOWNSTREAM_HELP = `
Downstream metrics (docs/downstream.md):
  --metric ACC --via TASK_LOSS   two-step: fit the law to TASK_LOSS, a link from TASK_LOSS to ACC
                      on the training checkpoints, and chain them (Bhagia et al. 2024)
  --route direct      the link of ln C fitted to ACC directly
  --link NAME         sigmoid (default; acc = a/(1+exp(−k(x−x0)))+b) or exp-decay
                      (Gadre et al.: err = eps − k·exp(−gamma·x))
  --chance P          hold the sigmoid's floor b at the task's chance accuracy
  --step2-models A,B  fit step 2 on these runs' checkpoints (default: step 1's training runs)`;

/** True when the flags ask for a downstream forecast. */
export function wantsDownstream(values: DownstreamValues): boolean {
  return values.via !== undefined || values.route !== undefined;
}

/** Reads {@link DOWNSTREAM_OPTIONS} into the downstream part of a spec. */
export function downstreamFromFlags(
  values: DownstreamValues,
): Pick<DownstreamSpec, "via" | "route" | "link" | "chance" | "step2Train"> & { metric: string } {
  const route = values.route ?? (values.via ? "two-step" : "direct");
  if (route !== "two-step" && route !== "direct")
    throw new InputError(`unknown route "${route}" (expected two-step | direct)`, {
      field: "--route",
    });
  if (route === "two-step" && values.via === undefined)
    throw new InputError("the two-step route needs the task loss", {
      field: "--via",
      hint: "add --via TASK_LOSS_METRIC, or --route direct",
    });
  if (route === "direct" && values.via !== undefined)
    throw new InputError("--via is for the two-step route", {
      field: "--route",
      hint: "drop --via, or drop --route direct",
    });
  const link = values.link ?? "sigmoid";
  if (!LINK_NAMES.includes(link as LinkName))
    throw new InputError(`unknown link "${link}" (expected ${LINK_NAMES.join(" | ")})`, {
      field: "--link",
    });
  if (values.metric === undefined)
    throw new InputError("a downstream forecast needs the metric to forecast", {
      field: "--metric",
      hint: "add --metric ACC_METRIC",
    });
  return {
    metric: values.metric,
    via: values.via,
    route,
    link: link as LinkName,
    chance: numberFlag(values, "chance", {}),
    step2Train: values["step2-models"]
      ? {
          kind: "list",
          models: values["step2-models"]
            .split(",")
            .map((m) => m.trim())
            .filter(Boolean),
        }
      : undefined,
  };
}

/**
 * The table a downstream forecast reads: a FILE or the store is read one metric at a time, so the
 * task-loss metric (`--via`) is read too and joined; a corpus or the built-in ladder has every metric.
 */
export async function downstreamTable(
  table: RunTable,
  values: FlagValues<typeof TABLE_FLAGS> & DownstreamValues,
  positionals: string[],
  command: string,
  io: Io,
): Promise<RunTable> {
  const via = values.via;
  if (via === undefined || (positionals.length === 0 && values.db === undefined)) return table;
  if (table.metric.includes(via)) return table;
  const extra = await readTable({ ...values, metric: via }, positionals, command, io);
  return concatTables([table, extra.table], table.origin);
}
