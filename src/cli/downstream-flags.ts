import { concatTables } from "../data/corpus/rows.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { DownstreamSpec } from "../estimate/downstream.js";
import { LINK_NAMES, type LinkName } from "../estimate/link-fit.js";
import { numberFlag } from "./args.js";
import type { Io } from "./io.js";
import { readTable } from "./table-input.js";

/** Flags that turn a loss forecast into a downstream one (evaluate). */
export const DOWNSTREAM_OPTIONS = {
  via: { type: "string" },
  chance: { type: "string" },
  route: { type: "string" },
  link: { type: "string" },
  "step2-models": { type: "string" },
} as const;

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
export function wantsDownstream(values: Record<string, unknown>): boolean {
  return values.via !== undefined || values.route !== undefined;
}

/** Reads {@link DOWNSTREAM_OPTIONS} into the downstream part of a spec. */
export function downstreamFromFlags(
  values: Record<string, unknown>,
): Pick<DownstreamSpec, "via" | "route" | "link" | "chance" | "step2Train"> {
  const route = (values.route as string | undefined) ?? (values.via ? "two-step" : "direct");
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
  const link = (values.link as string | undefined) ?? "sigmoid";
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
    via: values.via as string | undefined,
    route,
    link: link as LinkName,
    chance: numberFlag(values, "chance", {}),
    step2Train: values["step2-models"]
      ? {
          kind: "list",
          models: String(values["step2-models"])
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
  values: Record<string, unknown>,
  positionals: string[],
  command: string,
  io: Io,
): Promise<RunTable> {
  const via = values.via as string | undefined;
  if (via === undefined || (positionals.length === 0 && values.db === undefined)) return table;
  if (table.metric.includes(via)) return table;
  const extra = await readTable({ ...values, metric: via }, positionals, command, io);
  return concatTables([table, extra.table], table.origin);
}
