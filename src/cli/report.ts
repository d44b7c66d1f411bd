import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";
import { fitWithUncertainty } from "../estimate/uncertainty.js";
import { fittedPlanModel } from "../plan/from-fit.js";
import { assembleReport } from "../report/assemble.js";
import { reportHtml, reportMarkdown } from "../report/document.js";
import type { PlotTarget } from "../report/plots/fit.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { FIT_FLAGS, FIT_HELP, fitOptionsFromFlags } from "./fit-flags.js";
import { flagHelp, parseFlags, str } from "./flags.js";
import { writeFileAtomic } from "./io.js";
import { familyData, targetFromFlags } from "./plot-output.js";
import { runFilters } from "./runs-input.js";
import { readTable, TABLE_FLAGS, TABLE_HELP } from "./table-input.js";

const REPORT_FLAGS = {
  out: str("FILE", "report.html, or report.md (writes report-fit.png, ... beside it)"),
  format: str(
    "md|html",
    `the report's format (default: from --out); other values name the input
file's format as for every command (csv, tsv, json, jsonl, parquet)`,
  ),
  family: str("F", "report on this family's rows only"),
  "target-params": str("N", "forecast a target: its size, e.g. 70B"),
  "target-tokens": str("D", "and its training tokens, e.g. 1.4T"),
  "target-model": str("M", "or hold model M out of the fit and forecast it"),
  budget: str("C", "plan: the compute-optimal N and D for C FLOPs under the fitted law"),
  bootstrap: str("K", "whole-run resamples for intervals (default 100 here; 0 for none)"),
} as const;

// --format and --bootstrap are described above, in this command's terms.
const FLAGS = { ...FIT_FLAGS, ...TABLE_FLAGS, ...REPORT_FLAGS };

const HELP = `usage: scaleladder report FILE|--db PATH|--builtin|--corpus NAME [options] --out report.html

Fits a law to the runs and writes one shareable report: the data summary, the fit table with
intervals and status, the figures (fit, residuals, loss vs compute, iso-loss contours, bootstrap),
the forecast at a target and the plan for a budget, and every setting needed to reproduce it.
HTML is one self-contained file (vega, vega-lite and vega-embed inlined: it opens offline and from
e-mail); Markdown comes with one PNG per figure beside it, for a paper or a pull request.

${flagHelp(REPORT_FLAGS)}
${FIT_HELP}
${TABLE_HELP}
`;

export const reportCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("report", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const out = values.out;
    if (!out)
      throw new InputError("no output file", { field: "--out", hint: "add --out report.html" });
    const asked = values.format;
    const kind = asked === "md" || asked === "html" ? asked : out.endsWith(".md") ? "md" : "html";
    if (asked === "md" || asked === "html") values.format = undefined;
    const opts = fitOptionsFromFlags(values);
    if (values.bootstrap === undefined) opts.uncertainty.resamples = 100;
    const given = targetFromFlags(values);
    const budget = numberFlag(values, "budget", { positive: true });

    const { table } = await readTable(values, positionals, "report", io);
    const family = values.family;
    const { data, target: held } = familyData(table, family, values["target-model"]);
    const target: PlotTarget | undefined = held ?? given;
    const u = await fitWithUncertainty(data, opts.fit, opts.uncertainty);
    if (budget !== undefined && !fittedPlanModel(u.fit, table.origin).planable) {
      throw new InputError(`law ${u.fit.law.name} has no compute-optimal allocation`, {
        field: "--budget",
        hint: "plan with a law of N and D, e.g. --law chinchilla",
      });
    }
    const input = assembleReport({
      data,
      fit: u,
      record: {
        source: table.origin,
        rows: data.loss.length,
        runs: new Set(data.run).size,
        filters: [...runFilters(values), ...(family ? [`family = ${family}`] : [])],
        paramsDefinition:
          "as given in the params column (total parameters unless the source says otherwise)",
      },
      family,
      target,
      budget,
      command: ["scaleladder", "report", ...argv].map(shellQuote).join(" "),
      version: "0.1.0",
    });
    const figures = input.figures;
    if (kind === "html") {
      writeFileAtomic(out, reportHtml(input));
    } else {
      const { renderPng } = await import("../report/render.js");
      const stem = basename(out).replace(/\.md$/, "");
      const images: Record<string, string> = {};
      for (const f of figures) {
        images[f.name] = `${stem}-${f.name}.png`;
        writeFileAtomic(join(dirname(out), images[f.name]), await renderPng(f.spec));
      }
      writeFileAtomic(out, reportMarkdown(input, images));
    }
    io.err(
      `scaleladder: wrote ${out}${kind === "md" ? ` and ${figures.length} PNGs beside it` : ""}\n`,
    );
    return 0;
  },
};

/** Quotes an argument for a POSIX shell when it needs it. */
function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}
