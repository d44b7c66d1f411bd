import { dataShape, forecastVerdict } from "../analysis/verdict.js";
import { concatTables } from "../data/corpus/rows.js";
import { formatSize } from "../data/size.js";
import { InputError } from "../errors.js";
import { predictDownstream } from "../estimate/downstream.js";
import { fewRunsWarning, intervalsAt, residualNoise } from "../estimate/intervals.js";
import type { Target } from "../estimate/predict.js";
import { fitWithUncertainty, predictWithInterval } from "../estimate/uncertainty.js";
import type { FitData } from "../fit/types.js";
import { getLaw } from "../laws/index.js";
import { downstreamPredictionText } from "../report/downstream.js";
import { fitJson, fitText, fmt } from "../report/fit.js";
import { verdictJson, verdictLines } from "../report/forecast.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { DOWNSTREAM_FLAGS, downstreamFromFlags } from "./downstream-flags.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { type FlagValues, flagHelp, parseFlags, str } from "./flags.js";
import { toJson } from "./io.js";
import { withFlagWarnings } from "./option-flags.js";
import { maybePlot, PLOT_FLAGS, PLOT_HELP } from "./plot-output.js";
import {
  EARLY_CUT_FLAGS,
  EARLY_CUT_HELP,
  fitInput,
  RUNS_FLAGS,
  RUNS_HELP,
  readRuns,
  runFilters,
} from "./runs-input.js";

const TARGET_FLAGS = {
  params: str("N[,N…]", "target model size"),
  tokens: str("D[,D…]", "target training tokens"),
  flops: str("C[,C…]", "target compute (default 6·N·D)"),
} as const;

const FLAGS = {
  ...FIT_FLAGS,
  ...RUNS_FLAGS,
  ...TARGET_FLAGS,
  ...PLOT_FLAGS,
  ...EARLY_CUT_FLAGS,
  ...DOWNSTREAM_FLAGS,
};

const HELP = `usage: scaleladder predict FILE --params N --tokens D [options]

Fits a law to the runs in FILE, then predicts the loss of a model with N parameters trained on D
tokens (sizes take suffixes: 125M, 70B, 1.4T). With --bootstrap K, prints the confidence interval
of the expected loss and the prediction interval of an observed one (docs/downstream.md).
Lists predict several targets from one fit (--params 7B,70B --tokens 140B,1.4T pairs them; a
single value goes with every other). Targets beyond the ladder are warned about with the
extrapolation factor in N, D and C.

${flagHelp(TARGET_FLAGS)}
  --metric ACC --via TASK_LOSS   predict a downstream metric in two steps (docs/downstream.md),
                      one target; --route, --link, --chance, --step2-models as for evaluate
${FIT_HELP}
${EARLY_CUT_HELP}
${PLOT_HELP}
${RUNS_HELP}
`;

export const predictCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("predict", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const opts = fitOptionsFromFlags(values);
    const targets = targetList(values);
    // Checked before reading and fitting: a bootstrap can take seconds.
    const law = getLaw(String(opts.fit.law), { column: opts.fit.column });
    for (const col of law.inputs) {
      if (targets[0][col] === undefined) {
        throw new InputError(`law ${law.name} needs --${col}`, {
          field: `--${col}`,
          hint: `add --${col} VALUE`,
        });
      }
    }
    if (values.route !== undefined || values["step2-models"] !== undefined)
      throw new InputError("predict forecasts downstream metrics by the two-step route only", {
        field: values.route !== undefined ? "--route" : "--step2-models",
        hint: "use --metric ACC --via TASK_LOSS; evaluate has --route direct and --step2-models",
      });
    if (values.via !== undefined) {
      if (targets.length > 1)
        throw new InputError("a downstream prediction takes one target", {
          field: "--params",
          hint: "give one --params and --tokens with --via",
        });
      const at = targets[0];
      const d = downstreamFromFlags(values);
      const via = d.via;
      if (via === undefined)
        throw new InputError("a downstream prediction takes the two-step route", {
          field: "--route",
          hint: "add --via TASK_LOSS (evaluate also offers --route direct)",
        });
      const read = (metric: string) => readRuns({ ...values, metric }, positionals, "predict", io);
      const table = concatTables(
        [await read(via), await read(d.metric)],
        positionals[0] ?? String(values.db),
      );
      const p = predictDownstream(table, { ...d, via, fit: opts.fit }, at, opts.uncertainty);
      io.out(values.json ? toJson({ prediction: { ...p, at } }) : downstreamPredictionText(p, at));
      return 0;
    }
    const { data, record, note } = fitInput(
      await readRuns(values, positionals, "predict", io),
      runFilters(values),
      { values },
    );
    const u = await fitWithUncertainty(
      data,
      { ...opts.fit, now: () => performance.now() },
      opts.uncertainty,
    );
    const shape = dataShape(data);
    // The prediction interval of an observed loss adds run and checkpoint noise from the residuals.
    const noise = u.bootstrap && u.fit.status !== "non-finite" ? residualNoise(data, u.fit) : null;
    const runs = data.run ? new Set(data.run).size : data.loss.length;
    const intervalWarning = u.bootstrap ? fewRunsWarning(runs) : null;
    const out = targets.map((at) => ({
      at,
      ...predictWithInterval(u, at),
      prediction: noise ? intervalsAt(u, at, noise, u.bootstrap?.seed ?? 0).prediction : null,
      extrapolation: extrapolation(data, at),
      // The evidence model speaks of N: a compute-only target gets no verdict.
      verdict:
        at.params === undefined
          ? null
          : withFlagWarnings(
              forecastVerdict({ shape, targetParams: at.params, targetTokens: at.tokens }),
            ),
    }));
    for (const p of out) {
      const beyond = Object.entries(p.extrapolation).filter(([, f]) => f > 1);
      if (beyond.length > 0) {
        io.err(
          `scaleladder: warning: ${describe(p.at)} is beyond the ladder: ${beyond
            .map(([k, f]) => `${k} ×${fmt(f, 3)}`)
            .join(", ")} its largest; the forecast extrapolates\n`,
        );
      }
    }
    const level = Math.round((u.bootstrap?.level ?? 0.95) * 100);
    if (values.json) {
      const one = (p: (typeof out)[number]) => {
        // The N, D, C factors above already say how far the target extrapolates.
        const { extrapolation: _x, ...v } = p.verdict ? verdictJson(p.verdict) : {};
        return {
          loss: p.value,
          interval: p.interval,
          intervalKind: p.interval ? "confidence" : null,
          predictionInterval: p.prediction,
          at: p.at,
          extrapolation: p.extrapolation,
          ...v,
        };
      };
      io.out(
        toJson({
          ...(out.length === 1 ? { prediction: one(out[0]) } : { predictions: out.map(one) }),
          noise,
          intervalWarning,
          fit: fitJson(u, record, !values["no-timing"]),
        }),
      );
    } else if (out.length === 1) {
      io.out(fitText(u, record));
      const p = out[0];
      const iv = p.interval
        ? `  ${level}% confidence interval [${fmt(p.interval[0])}, ${fmt(p.interval[1])}] (expected loss)`
        : "";
      const pi = p.prediction
        ? `\n${" ".repeat(19)}${level}% prediction interval [${fmt(p.prediction[0])}, ${fmt(p.prediction[1])}] (an observed loss)`
        : "";
      const warn = intervalWarning
        ? `
warning: ${intervalWarning}`
        : "";
      io.out(`
predicted loss at ${describe(p.at)}: ${fmt(p.value, 5)}${iv}${pi}${warn}
`);
      if (p.verdict)
        io.out(`${verdictText(p.verdict)}
`);
    } else {
      io.out(fitText(u, record));
      io.out(`
${predictionTable(out, level)}`);
      if (intervalWarning)
        io.out(`warning: ${intervalWarning}
`);
      for (const p of out)
        if (p.verdict)
          io.out(`${describe(p.at)}:
${verdictText(p.verdict)}
`);
    }
    // The figure draws one target: the first that names both N and D.
    const first = targets.find((t) => t.params !== undefined && t.tokens !== undefined);
    const target = first && { params: first.params as number, tokens: first.tokens as number };
    await maybePlot(
      values,
      async () =>
        (await import("../report/plots/fit-figure.js")).fitFigure(
          "fit",
          data,
          u,
          target,
          record.source,
        ),
      io,
    );
    if (note) io.err(note);
    return 0;
  },
};

/** The verdict and warnings as text, without the extrapolation line (predict prints its own). */
function verdictText(v: Parameters<typeof verdictLines>[0]): string {
  return verdictLines(v)
    .filter((l) => !l.startsWith("extrapolation"))
    .join("\n");
}

/** The targets of --params, --tokens and --flops: lists paired, a single value with every other. */
function targetList(values: FlagValues<typeof TARGET_FLAGS>): Target[] {
  const list = (name: keyof typeof TARGET_FLAGS): number[] | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    return raw.split(",").map((part) => {
      const v = numberFlag({ [name]: part.trim() }, name, { positive: true });
      return v as number;
    });
  };
  const N = list("params");
  const D = list("tokens");
  const C = list("flops");
  const lengths = [N, D, C].flatMap((l) => (l ? [l.length] : []));
  if (lengths.length === 0) {
    throw new InputError("nothing to predict", {
      field: "scaleladder predict",
      hint: "give --params N --tokens D, e.g. --params 70B --tokens 1.4T",
    });
  }
  const n = Math.max(...lengths);
  if (lengths.some((k) => k !== 1 && k !== n)) {
    throw new InputError(`lists of different lengths (${lengths.join(" and ")})`, {
      field: "scaleladder predict",
      hint: "pair them one to one (--params 7B,70B --tokens 140B,1.4T), or give one value for all",
    });
  }
  const at = (l: number[] | undefined, i: number) => (l ? l[l.length === 1 ? 0 : i] : undefined);
  return Array.from({ length: n }, (_, i) => {
    const params = at(N, i);
    const tokens = at(D, i);
    const flops =
      at(C, i) ?? (params !== undefined && tokens !== undefined ? 6 * params * tokens : undefined);
    return { params, tokens, flops };
  });
}

/** How far a target lies beyond the ladder: target / largest in the data, per coordinate given. */
function extrapolation(data: FitData, at: Target): Record<string, number> {
  const max = (a: Float64Array) => a.reduce((m, v) => Math.max(v, m), 0);
  const out: Record<string, number> = {};
  if (at.params !== undefined) out.N = at.params / max(data.params);
  if (at.tokens !== undefined) out.D = at.tokens / max(data.tokens);
  if (at.flops !== undefined && data.flops) out.C = at.flops / max(data.flops);
  return out;
}

/** `N=70B, D=1.4T, C=5.88e23`: the coordinates of a target. */
function describe(at: Target): string {
  return [
    ["N", at.params],
    ["D", at.tokens],
    ["C", at.flops],
  ]
    .flatMap(([k, v]) =>
      v === undefined ? [] : [`${k}=${k === "C" ? fmt(v as number) : formatSize(v as number)}`],
    )
    .join(", ");
}

/** One line per target: N, D, C, the forecast, its interval and the extrapolation factors. */
function predictionTable(
  rows: readonly {
    at: Target;
    value: number;
    interval: readonly [number, number] | null;
    prediction: readonly [number, number] | null;
    extrapolation: Record<string, number>;
  }[],
  level: number,
): string {
  const head = [
    "params",
    "tokens",
    "FLOPs",
    "loss",
    ...(rows[0].interval ? [`${level}% confidence`] : []),
    ...(rows[0].prediction ? [`${level}% prediction`] : []),
    "beyond ladder",
  ];
  const body = rows.map((p) => [
    p.at.params === undefined ? "" : formatSize(p.at.params),
    p.at.tokens === undefined ? "" : formatSize(p.at.tokens),
    p.at.flops === undefined ? "" : fmt(p.at.flops, 3),
    fmt(p.value, 5),
    ...(p.interval ? [`[${fmt(p.interval[0])}, ${fmt(p.interval[1])}]`] : []),
    ...(p.prediction ? [`[${fmt(p.prediction[0])}, ${fmt(p.prediction[1])}]`] : []),
    Object.entries(p.extrapolation)
      .filter(([, f]) => f > 1)
      .map(([k, f]) => `${k} ×${fmt(f, 3)}`)
      .join(", "),
  ]);
  const all = [head, ...body];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return `${all
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padStart(widths[c])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
