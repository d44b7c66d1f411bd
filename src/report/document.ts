import type { Estimate, FitWithUncertainty } from "../estimate/uncertainty.js";
import type { AllocationWithIntervals } from "../plan/from-fit.js";
import type { DataRecord } from "./fit.js";
import { countLabel, num } from "./plots/axes.js";
import type { Spec } from "./plots/index.js";
import { escapeHtml, figuresHtml } from "./render.js";

/** Everything a report shows: data, fit, figures, forecast, plan, and how to reproduce it. */
export interface ReportInput {
  readonly title: string;
  readonly data: DataRecord & {
    /** [min, max] of N, D and loss over the rows fitted. */
    readonly ranges: {
      readonly params: readonly [number, number];
      readonly tokens: readonly [number, number];
      readonly loss: readonly [number, number];
    };
  };
  readonly fit: FitWithUncertainty;
  readonly target?: {
    readonly params: number;
    readonly tokens: number;
    readonly estimate: Estimate;
    /** The held-out model's actual loss there, when the target is a model of the data. */
    readonly actual?: number;
  };
  readonly plan?: AllocationWithIntervals;
  readonly figures: readonly {
    readonly name: string;
    readonly caption: string;
    readonly spec: Spec;
  }[];
  /** The command line that made the report, for reproduction. */
  readonly command: string;
  readonly version: string;
}

/** One table as rows of cells; the first row is the header. */
type Table = string[][];

function dataTable(d: ReportInput["data"]): Table {
  const range = (r: readonly [number, number], f: (v: number) => string) =>
    `${f(r[0])} – ${f(r[1])}`;
  return [
    ["", "value"],
    ["source", d.source],
    ["rows", d.rows.toLocaleString("en-US")],
    ["runs", d.runs.toLocaleString("en-US")],
    ["parameters N", range(d.ranges.params, countLabel)],
    ["training tokens D", range(d.ranges.tokens, countLabel)],
    ["loss", range(d.ranges.loss, (v) => num(v))],
    ["filters", d.filters.join("; ") || "none"],
    ["N is", d.paramsDefinition],
  ];
}

function fitTable(u: FitWithUncertainty): Table {
  const f = u.fit;
  const level = u.bootstrap ? `${Math.round(100 * u.bootstrap.level)}% interval` : "interval";
  return [
    ["parameter", "value", level, "meaning"],
    ...f.law.params.map((p) => {
      const iv = u.intervals[p.name];
      const fixed = p.name in f.choices.fixed ? " (fixed)" : "";
      return [
        p.name,
        num(f.params[p.name], 5) + fixed,
        iv ? `[${num(iv[0])}, ${num(iv[1])}]` : "–",
        p.doc,
      ];
    }),
  ];
}

function statusLines(u: FitWithUncertainty): string[] {
  const f = u.fit;
  const b = u.bootstrap;
  return [
    `Law ${f.law.name}: ${f.law.formula} (${f.law.reference}).`,
    `Objective ${f.objective.name} = ${f.objective.value.toPrecision(6)}; status ${f.status}${f.statusMessage ? ` (${f.statusMessage})` : ""}; ${f.iterations} iterations, ${f.n} observations.`,
    b
      ? `Intervals: percentile bootstrap over whole runs, ${b.succeeded}/${b.resamples} resamples, seed ${b.seed}.`
      : "No bootstrap, so no intervals: set bootstrap resamples for them.",
    ...f.warnings.map((w) => `Warning: ${w}.`),
  ];
}

function forecastLines(r: ReportInput): string[] {
  const out: string[] = [];
  if (r.target) {
    const { params, tokens, estimate, actual } = r.target;
    const truth =
      actual === undefined
        ? ""
        : ` Held out of the fit, it reached ${num(actual, 5)}: relative error ${((100 * Math.abs(estimate.value - actual)) / actual).toFixed(2)}%.`;
    const iv = estimate.interval
      ? `, interval [${num(estimate.interval[0])}, ${num(estimate.interval[1])}]`
      : "";
    out.push(
      `Predicted loss of N = ${countLabel(params)} trained on D = ${countLabel(tokens)} tokens (C = ${countLabel(6 * params * tokens)} FLOPs): ${num(estimate.value, 5)}${iv}.${truth}`,
    );
  }
  if (r.plan) {
    const p = r.plan;
    const iv = (k: "params" | "tokens" | "loss", f: (v: number) => string) =>
      p.intervals ? ` [${f(p.intervals[k][0])}, ${f(p.intervals[k][1])}]` : "";
    out.push(
      `Compute-optimal at C = ${countLabel(p.flops)} FLOPs (${p.method}): N = ${countLabel(p.params)}${iv("params", countLabel)}, D = ${countLabel(p.tokens)}${iv("tokens", countLabel)} (${num(p.tokensPerParam, 3)} tokens per parameter), loss ${num(p.loss, 5)}${iv("loss", (v) => num(v))}.`,
    );
  }
  return out;
}

function settings(r: ReportInput): string {
  const f = r.fit.fit;
  return JSON.stringify(
    {
      command: r.command,
      version: r.version,
      fit: f.choices,
      bootstrap: r.fit.bootstrap,
      data: { ...r.data, ranges: undefined },
    },
    null,
    2,
  );
}

/** Numbers, sizes, ranges and intervals ("1.6B", "100M – 1.6B", "[0.3, 0.4]"): set flush right. */
const NUMERIC = /^[\s\d.,+\-−–×%eEkKMBT[\]()]*$/;

function htmlTable(t: Table): string {
  const [head, ...rows] = t;
  // Words read from the left, numbers line up on the right: a column with any words is set left
  // (the first column, the labels, always is).
  const text = head.map((_, i) => i > 0 && rows.some((r) => !NUMERIC.test(r[i] ?? "")));
  const cell = (c: string, tag: string, i: number) =>
    `<${tag}${text[i] ? ' class="text"' : ""}>${escapeHtml(c)}</${tag}>`;
  const tr = (cells: string[], tag: string) =>
    `<tr>${cells.map((c, i) => cell(c, tag, i)).join("")}</tr>`;
  return `<table>\n<thead>${tr(head, "th")}</thead>\n<tbody>\n${rows.map((r) => tr(r, "td")).join("\n")}\n</tbody>\n</table>`;
}

/**
 * The report as one self-contained HTML page (vega, vega-lite and vega-embed inlined): it opens
 * offline and from e-mail.
 */
export function reportHtml(r: ReportInput): string {
  const p = (lines: string[]) => lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("\n");
  const forecast = forecastLines(r);
  const body = [
    `<h1>${escapeHtml(r.title)}</h1>`,
    "<h2>Data</h2>",
    htmlTable(dataTable(r.data)),
    "<h2>Fit</h2>",
    p(statusLines(r.fit)),
    htmlTable(fitTable(r.fit)),
    ...(forecast.length ? ["<h2>Forecast and plan</h2>", p(forecast)] : []),
    "<h2>Figures</h2>",
  ].join("\n");
  const tail = `<h2>Settings to reproduce</h2>\n<pre>${escapeHtml(settings(r))}</pre>`;
  return figuresHtml(
    r.title,
    r.figures.map((f) => ({ id: `fig-${f.name}`, spec: f.spec, caption: f.caption })),
    body,
    tail,
  );
}

function mdTable(t: Table): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  const [head, ...rows] = t;
  return [
    `| ${head.map(esc).join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}

/**
 * The report as Markdown for a paper or a pull request; `images[name]` is the relative path of each
 * figure's PNG, which the caller writes.
 */
export function reportMarkdown(r: ReportInput, images: Readonly<Record<string, string>>): string {
  const forecast = forecastLines(r);
  return `${[
    `# ${r.title}`,
    "## Data",
    mdTable(dataTable(r.data)),
    "## Fit",
    statusLines(r.fit).join("\n"),
    mdTable(fitTable(r.fit)),
    ...(forecast.length ? ["## Forecast and plan", forecast.join("\n\n")] : []),
    "## Figures",
    ...r.figures.map((f) => `![${f.caption}](${images[f.name]})\n\n*${f.caption}*`),
    "## Settings to reproduce",
    `\`\`\`json\n${settings(r)}\n\`\`\``,
  ].join("\n\n")}\n`;
}
