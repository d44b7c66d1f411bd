import { existsSync } from "node:fs";
import type { FamilyRuns } from "../data/summary.js";
import { InputError } from "../errors.js";
import { runsText } from "../report/runs.js";
import type { Command } from "./command.js";
import { bool, flagHelp, parseFlags } from "./flags.js";
import { toJson } from "./io.js";
import { DEFAULT_DB, loadOptionsFromFlags, RUNS_FLAGS } from "./runs-input.js";

const FLAGS = { json: bool("print the summary as JSON"), ...RUNS_FLAGS } as const;

const HELP = `usage: scaleladder runs [FILE] [--db PATH] [--where "SQL"] [--json]

Lists the families and models in the project store (default ${DEFAULT_DB}), or in FILE without
importing it: sizes, token ranges, checkpoint and seed counts, metrics.

${flagHelp(FLAGS)}
`;

export const runsCommand: Command = {
  summary: "list the families and models in the store or a file",
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("runs", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (positionals.length > 1) {
      throw new InputError(`unexpected argument "${positionals[1]}"`, {
        field: "scaleladder runs",
        hint: "give one file, or none to list the store",
      });
    }
    const file = positionals[0];
    if (file && values.db)
      throw new InputError("give FILE or --db, not both", { field: "scaleladder runs" });
    const db = values.db ?? DEFAULT_DB;
    let families: FamilyRuns[];
    if (file) {
      const { summarizeFile } = await import("../data/summarize-file.js");
      const s = await summarizeFile(file, loadOptionsFromFlags(values));
      for (const w of s.warnings) io.err(`scaleladder: warning: ${w}\n`);
      families = s.families;
    } else {
      if (!values.db && !existsSync(db)) {
        throw new InputError("no store here yet", {
          file: db,
          hint: "import runs first: scaleladder import runs.csv, or list a file: scaleladder runs runs.csv",
        });
      }
      const { openStore } = await import("../data/store.js");
      const store = await openStore(db);
      try {
        families = await store.summary(values.where);
      } finally {
        await store.close();
      }
    }
    io.out(values.json ? toJson({ source: file ?? db, families }) : runsText(families));
    return 0;
  },
};
