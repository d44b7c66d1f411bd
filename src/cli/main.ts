import { InputError } from "../errors.js";
import type { Command } from "./command.js";
import { type Io, processIo } from "./io.js";

/**
 * Subcommands: what each does, and its module, loaded lazily: a command loads only its own
 * modules, and the top-level help none (the summaries are here).
 */
export const COMMANDS: Readonly<
  Record<string, { readonly summary: string; readonly load: () => Promise<Command> }>
> = {
  fit: {
    summary: "fit a scaling law to runs and report its parameters",
    load: async () => (await import("./fit.js")).fitCommand,
  },
  predict: {
    summary: "predict a target model's loss, with a bootstrap interval",
    load: async () => (await import("./predict.js")).predictCommand,
  },
  laws: {
    summary: "list the built-in scaling laws and their parameters",
    load: async () => (await import("./laws.js")).lawsCommand,
  },
  flops: {
    summary: "training FLOPs, PF-days, accelerator time and cost",
    load: async () => (await import("./flops.js")).flopsCommand,
  },
  plan: {
    summary: "compute-optimal model size, tokens and loss for a budget",
    load: async () => (await import("./plan.js")).planCommand,
  },
  corpus: {
    summary: "build, list or download the public corpus of published training logs",
    load: async () => (await import("./corpus.js")).corpusCommand,
  },
  import: {
    summary: "check a file of runs and add it to the project store",
    load: async () => (await import("./import.js")).importCommand,
  },
  runs: {
    summary: "list the families and models in the store or a file",
    load: async () => (await import("./runs.js")).runsCommand,
  },
  evaluate: {
    summary:
      "forecast a held-out model from smaller ones and score it by ARE (Hitchhiker's protocol)",
    load: async () => (await import("./evaluate.js")).evaluateCommand,
  },
  rollout: {
    summary: "expanding-window evaluation: fit on the k smallest models, forecast every larger one",
    load: async () => (await import("./rollout.js")).rolloutCommand,
  },
  compare: {
    summary: "compare two recipes: shared exponents, effective compute multiplier, ranking flips",
    load: async () => (await import("./compare.js")).compareCommand,
  },
  noise: {
    summary: "estimate the ARE floor from seed-to-seed variation",
    load: async () => (await import("./noise.js")).noiseCommand,
  },
  analyze: {
    summary: "reproduce the Hitchhiker's Guide meta-analysis over a corpus (parallel, resumable)",
    load: async () => (await import("./analyze.js")).analyzeCommand,
  },
  demo: {
    summary:
      "forecast a held-out 7B model from a SIMULATED ladder of small runs (the main job, offline)",
    load: async () => (await import("./demo.js")).demoCommand,
  },
  plot: {
    summary:
      "draw a figure (fit, residuals, compute, isoflop, contours, forecast, heatmap, bootstrap)",
    load: async () => (await import("./plot.js")).plotCommand,
  },
  report: {
    summary: "write a shareable report (self-contained HTML, or Markdown + PNGs) of a fit",
    load: async () => (await import("./report.js")).reportCommand,
  },
  advise: {
    summary: "what to train to forecast a target, and how far to trust a forecast (evidence model)",
    load: async () => (await import("./advise.js")).adviseCommand,
  },
  serve: {
    summary: "start the local web page (fit, forecast and plan in the browser)",
    load: async () => (await import("./serve.js")).serveCommand,
  },
};

const USAGE = `scaleladder: forecast a large model's loss from a ladder of small runs

usage: scaleladder <command> [options]    (scaleladder help <command> for its options)
       scaleladder --version
`;

/**
 * Runs the CLI and returns the exit code: 0 success, 2 bad usage or input (one line on stderr),
 * 1 internal error (stack trace only with --debug). The only place that maps errors to codes.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes("--debug");
  const [name, ...rest] = argv;
  try {
    // `scaleladder help CMD` is `scaleladder CMD --help`.
    if (name === "help" && rest.length > 0) return await main([rest[0], "--help"], io);
    if (!name || name === "--help" || name === "-h" || name === "help") {
      const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
      io.out(`${USAGE}\ncommands:\n${lines.join("\n")}\n`);
      return name ? 0 : 2;
    }
    if (name === "--version" || name === "-v") {
      const { version } = await import("./version.js");
      io.out(`scaleladder ${version()}\n`);
      return 0;
    }
    const command = COMMANDS[name];
    if (!command) {
      const { closest } = await import("../errors.js");
      const near = closest(name, Object.keys(COMMANDS));
      throw new InputError(`unknown command "${name}"`, {
        field: "scaleladder",
        hint: near ? `did you mean "${near}"?` : "run scaleladder --help",
      });
    }
    return await (await command.load()).run(rest, io);
  } catch (e) {
    if (e instanceof InputError) {
      const { inFlagTerms, inFlagText } = await import("./option-flags.js");
      // A field such as "scaleladder fit" already names the program: one prefix per line.
      io.err(`scaleladder: ${inFlagText(inFlagTerms(e).message).replace(/^scaleladder /, "")}\n`);
      if (debug) io.err(`${e.stack}\n`);
      return 2;
    }
    const err = e as Error;
    io.err(
      `scaleladder: internal error: ${err?.message ?? String(e)}${debug ? "" : " (run with --debug for details)"}\n`,
    );
    if (debug) io.err(`${err?.stack}\n`);
    return 1;
  }
}
