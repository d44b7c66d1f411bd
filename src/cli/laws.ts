import { builtinLaws } from "../laws/index.js";
import { parseFlags } from "./args.js";
import type { Command } from "./command.js";
import { toJson } from "./io.js";

export const lawsCommand: Command = {
  summary: "list the built-in scaling laws and their parameters",
  async run(argv, io) {
    const { values } = parseFlags("laws", argv, { json: { type: "boolean" } });
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
