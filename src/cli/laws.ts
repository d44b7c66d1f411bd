import { builtinLaws } from "../laws/index.js";
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
  summary: "list the built-in scaling laws and their parameters",
  flags: FLAGS,
  async run(argv, io) {
    const { values } = parseFlags("laws", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (values.json) {
      io.out(
        toJson(
          builtinLaws.map((l) => ({
            name: l.name,
            formula: l.formula,
            reference: l.reference,
            params: l.params,
          })),
        ),
      );
      return 0;
    }
    for (const l of builtinLaws) {
      io.out(
        `${l.name.padEnd(13)} ${l.formula}\n${"".padEnd(13)} ${l.reference}\n${"".padEnd(13)} params: ${l.params.map((p) => `${p.name}${p.linear ? "*" : ""}`).join(", ")}   (* enters linearly)\n`,
      );
    }
    return 0;
  },
};
