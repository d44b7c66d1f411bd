import { judgeRuns, type Ladder, planLadders } from "../analysis/advise.js";
import { evidenceFromTable, fitEvidence, validateEvidence } from "../analysis/evidence.js";
import { resolveCorpusRoot } from "../data/download.js";
import { formatSize } from "../data/size.js";
import { InputError } from "../errors.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { bool, type FlagValues, flagHelp, parseFlags, str } from "./flags.js";
import { loadHitchhiker } from "./hitchhiker-table.js";
import { toJson } from "./io.js";
import { inFlagText } from "./option-flags.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const TARGET_FLAGS = {
  "target-params": str("N", "target parameters (70B)"),
  "target-tokens": str("D", "target training tokens (1.4T)"),
  budget: str("FLOPS", "most compute for the ladder (default: the target's own)"),
  "budget-fraction": str("F", "budget as a share of the target's 6·N·D FLOPs (0.01)"),
  "min-params": str("N", "smallest model worth training (default 20M)"),
  "min-tokens": str("C", "the early cut the fit applies (default 1e10)"),
} as const;

const OTHER_FLAGS = {
  family: str("F", "family of the runs (default: the only or first one)"),
  validate: bool(`refit the evidence model from ../shared/data and print its leave-one-family-out
coverage of the 80% band (about 40 s)`),
  workers: str("W", "worker threads for --validate (default: all cores)"),
  json: bool("print JSON"),
} as const;

const FLAGS = { ...TARGET_FLAGS, ...TABLE_FLAGS, ...OTHER_FLAGS };

const HELP = `usage: scaleladder advise --target-params N --target-tokens D [--budget FLOPS | --budget-fraction F]
       scaleladder advise FILE|--db|--builtin [--family F] --target-params N --target-tokens D
       scaleladder advise --validate [--from DIR]

The Hitchhiker's Guide as advice, from an evidence model of forecast error fitted on the
meta-analysis (median ARE and an 80% band by scale-up, #models, spread of sizes, fraction of
training, partial target, borrowing; docs/advise.md).

Without runs: enumerates ladders for the target and prints the cost / expected-ARE frontier, the
cheapest ladder expected to reach 10% and 5%, and the recommended one within the budget.
With runs: the expected ARE of a forecast from them, the guide's checks, and the cheapest added run
that would bring the expected ARE to 10% and 5%.

${flagHelp(TARGET_FLAGS)}
${TABLE_HELP}
${flagHelp(OTHER_FLAGS)}
`;

export const adviseCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("advise", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (values.validate) return validate(values, io);
    const N = numberFlag(values, "target-params", { positive: true });
    const D = numberFlag(values, "target-tokens", { positive: true });
    if (N === undefined || D === undefined)
      throw new InputError("advise needs --target-params and --target-tokens", {
        field: N === undefined ? "--target-params" : "--target-tokens",
        hint: "e.g. scaleladder advise --target-params 70B --target-tokens 1.4T --budget-fraction 0.01",
      });
    const hasRuns =
      positionals.length > 0 ||
      values.db !== undefined ||
      values.builtin === true ||
      values.corpus !== undefined;
    if (hasRuns) {
      const loaded = await readTable(values, positionals, "advise", io);
      const family = values.family ?? loaded.defaultFamily ?? loaded.table.family[0];
      const minTokens =
        numberFlag(values, "min-tokens", { min: 0 }) ?? loaded.defaultMinTokens ?? 1e10;
      const judged = judgeRuns(loaded.table, family, N, D, minTokens);
      const checks = judged.current.checks.map((c) => ({ ...c, message: inFlagText(c.message) }));
      const j = { ...judged, current: { ...judged.current, checks } };
      if (values.json) {
        io.out(toJson(j));
        return 0;
      }
      const e = j.current.expectedAre;
      const f = j.current.features;
      const lines = [
        `forecast of ${formatSize(N)} params / ${formatSize(D)} tokens from ${j.family}: ${f.models} sizes spanning ${f.spread.toFixed(1)}×, scale-up ${f.scaleUp.toFixed(1)}×`,
        `expected ARE ${pct(e.median)} (80% band ${pct(e.band[0])}–${pct(e.band[1])})`,
        ...j.current.checks.map((c) => `  check: ${c.message}`),
        ...j.additions.map((a) =>
          a.already
            ? `to reach ${pct(a.threshold)}: expected already with these runs`
            : a.run && a.expectedAre
              ? `to reach ${pct(a.threshold)}: add a ${formatSize(a.run.params)} model on ${formatSize(a.run.tokens)} tokens (${a.run.flops.toExponential(2)} FLOPs), expected ${pct(a.expectedAre.median)}`
              : `to reach ${pct(a.threshold)}: no single added run below the target gets there; add several sizes or train the target partially`,
        ),
      ];
      io.out(`${lines.join("\n")}\n`);
      return 0;
    }
    const fraction = numberFlag(values, "budget-fraction", { positive: true, max: 1 });
    const absolute = numberFlag(values, "budget", { positive: true });
    if (fraction !== undefined && absolute !== undefined)
      throw new InputError("give --budget or --budget-fraction, not both", { field: "--budget" });
    const budget = fraction !== undefined ? fraction * 6 * N * D : absolute;
    const plan = planLadders({
      targetParams: N,
      targetTokens: D,
      budget,
      minParams: numberFlag(values, "min-params", { positive: true }),
      minTokens: numberFlag(values, "min-tokens", { min: 0 }),
    });
    if (values.json) {
      io.out(toJson(plan));
      return 0;
    }
    const out = [
      `target ${formatSize(N)} params / ${formatSize(D)} tokens: ${plan.target.flops.toExponential(2)} FLOPs; budget ${budget === undefined ? "the target's own" : `${budget.toExponential(2)} FLOPs`}`,
      "cost/expected-ARE frontier (expected median ARE, 80% band from the evidence model):",
    ];
    plan.ladders.forEach((l, i) => {
      const marks = [
        i === plan.recommended ? "recommended" : "",
        i === plan.cheapestFor["0.10"] ? "cheapest for 10%" : "",
        i === plan.cheapestFor["0.05"] ? "cheapest for 5%" : "",
      ].filter(Boolean);
      out.push(`  [${i}] ${describe(l)}${marks.length ? `  <- ${marks.join(", ")}` : ""}`);
    });
    const rec = plan.recommended === null ? null : plan.ladders[plan.recommended];
    if (rec) out.push("recommended because:", ...rec.notes.map((n) => `  - ${n}`));
    else out.push("no ladder fits the budget; raise it or lower --min-params");
    io.out(`${out.join("\n")}\n`);
    return 0;
  },
};

function describe(l: Ladder): string {
  const sizes = l.runs.map((r) => formatSize(r.params)).join(", ");
  return `${pct(l.cost.fractionOfTarget)} of target (${l.cost.flops.toExponential(2)} FLOPs): ARE ${pct(l.expectedAre.median)} [${pct(l.expectedAre.band[0])}, ${pct(l.expectedAre.band[1])}]  runs ${sizes}`;
}

const pct = (v: number) => `${(100 * v).toFixed(v < 0.01 ? 2 : 1)}%`;

async function validate(values: FlagValues<typeof FLAGS>, io: Parameters<Command["run"]>[1]) {
  const table = await loadHitchhiker(resolveCorpusRoot(values.from));
  const workers = numberFlag(values, "workers", { integer: true, min: 1, max: 64 });
  const cells = await evidenceFromTable(table, workers);
  const model = fitEvidence(cells);
  const v = validateEvidence(cells);
  if (values.json) {
    io.out(toJson({ model, validation: v }));
    return 0;
  }
  const lines = [
    `evidence model refitted on ${model.cells} converged cells; leave-one-family-out coverage of the 80% band:`,
    ...v.groups.map(
      (g) =>
        `  ${g.group.padEnd(16)} ${String(g.cells).padStart(5)} cells  ${pct(g.coverage).padStart(6)} inside  (${g.below} below, ${g.above} above)`,
    ),
    `  all              ${String(v.cells).padStart(5)} cells  ${pct(v.coverage).padStart(6)} inside; mean over groups ${pct(v.meanGroupCoverage)} (goal about 80%)`,
  ];
  io.out(`${lines.join("\n")}\n`);
  return 0;
}
