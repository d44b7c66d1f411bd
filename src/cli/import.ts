import { openStore } from "../data/store.js";
import { parseFlags } from "./args.js";
import { toJson } from "./io.js";
import type { Command } from "./main.js";
import {
  DEFAULT_DB,
  inputPaths,
  loadOptionsFromFlags,
  RUNS_HELP,
  RUNS_OPTIONS,
} from "./runs-input.js";

const HELP = `usage: scaleladder import FILE... [--family NAME] [--db PATH] [options]

Checks the runs in FILE and appends them to the project store (default ${DEFAULT_DB}).
Rows already stored are skipped, so importing a file twice adds nothing; a file with any
problem is refused whole and the store is left as it was. Long files keep every metric unless
--metric picks one; wide files give the --metric column (default loss).

  --family NAME       family of every row (default: the family column, else the file's name)
  --db PATH           the store to add to (default ${DEFAULT_DB})
  --json              print {file, db, rows, inserted, skipped, filled, warnings} as JSON
${RUNS_HELP.split("\n").slice(1).join("\n")}
`;

export const importCommand: Command = {
  summary: "check a file of runs and add it to the project store",
  async run(argv, io) {
    const { values, positionals } = parseFlags("import", argv, {
      ...RUNS_OPTIONS,
      family: { type: "string" },
      json: { type: "boolean" },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const { InputError } = await import("../errors.js");
    if (positionals.length === 0 && values.manifest === undefined) {
      throw new InputError("no input file given", {
        field: "scaleladder import",
        hint: "scaleladder import runs.csv [--family NAME]",
      });
    }
    const paths = inputPaths(positionals, io);
    const file =
      paths.length === 1
        ? paths[0] === "-"
          ? "stdin"
          : paths[0]
        : `${paths.length || "manifest"} files`;
    const db = (values.db as string | undefined) ?? DEFAULT_DB;
    const store = await openStore(db);
    let r: Awaited<ReturnType<typeof store.importFile>>;
    try {
      r = await store.importFile(paths, {
        ...loadOptionsFromFlags(values),
        setFamily: values.family as string | undefined,
      });
    } finally {
      await store.close();
    }
    for (const w of r.warnings) io.err(`scaleladder: warning: ${w}\n`);
    if (values.json)
      io.out(
        toJson({
          file,
          db,
          rows: r.rows,
          inserted: r.inserted,
          skipped: r.skipped,
          filled: r.filled,
          warnings: r.warnings,
        }),
      );
    else
      io.out(
        `imported ${r.inserted} rows from ${file} into ${db}${r.skipped > 0 ? ` (${r.skipped} already there, skipped)` : ""}${r.filled > 0 ? `; added unique tokens to ${r.filled} stored rows` : ""}\n`,
      );
    return 0;
  },
};
