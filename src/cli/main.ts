import { InputError } from "../errors.js";
import type { Command } from "./command.js";
import { type Io, processIo } from "./io.js";

/** Subcommands, loaded lazily: a command loads only its own modules (top-level help loads all, for their summaries). */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  fit: async () => (await import("./fit.js")).fitCommand,
  predict: async () => (await import("./predict.js")).predictCommand,
  laws: async () => (await import("./laws.js")).lawsCommand,
  flops: async () => (await import("./flops.js")).flopsCommand,
  plan: async () => (await import("./plan.js")).planCommand,
  corpus: async () => (await import("./corpus.js")).corpusCommand,
  import: async () => (await import("./import.js")).importCommand,
  runs: async () => (await import("./runs.js")).runsCommand,
  evaluate: async () => (await import("./evaluate.js")).evaluateCommand,
  rollout: async () => (await import("./rollout.js")).rolloutCommand,
  compare: async () => (await import("./compare.js")).compareCommand,
  noise: async () => (await import("./noise.js")).noiseCommand,
  analyze: async () => (await import("./analyze.js")).analyzeCommand,
  demo: async () => (await import("./demo.js")).demoCommand,
  plot: async () => (await import("./plot.js")).plotCommand,
  report: async () => (await import("./report.js")).reportCommand,
  advise: async () => (await import("./advise.js")).adviseCommand,
  serve: async () => (await import("./serve.js")).serveCommand,
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
      const lines = await Promise.all(
        Object.entries(COMMANDS).map(
          async ([n, load]) => `  ${n.padEnd(10)} ${(await load()).summary}`,
        ),
      );
      io.out(`${USAGE}\ncommands:\n${lines.join("\n")}\n`);
      return name ? 0 : 2;
    }
    if (name === "--version" || name === "-v") {
      const { version } = await import("./version.js");
      io.out(`scaleladder ${version()}\n`);
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) {
      const { closest } = await import("../errors.js");
      const near = closest(name, Object.keys(COMMANDS));
      throw new InputError(`unknown command "${name}"`, {
        field: "scaleladder",
        hint: near ? `did you mean "${near}"?` : "run scaleladder --help",
      });
    }
    return await (await load()).run(rest, io);
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
