import { builtinLaws } from "../laws/index.js";
import { lawsJson, lawsText } from "../report/laws.js";
import type { Command } from "./command.js";
import { bool, flagHelp, parseFlags } from "./flags.js";
import { toJson } from "./io.js";

const FLAGS = { json: bool("print the laws as JSON") } as const;

const HELP = `usage: scaleladder laws [--json]

Lists the built-in scaling laws: formula, source and parameters (* marks those that enter
linearly, solved exactly by the variable-projection grid).

${flagHelp(FLAGS)}
`;

export const lawsCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values } = parseFlags("laws", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    io.out(values.json ? toJson(lawsJson(builtinLaws)) : lawsText(builtinLaws));
    return 0;
  },
};
