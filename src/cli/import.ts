import { openStore } from "../data/store.js";
import { count } from "../errors.js";
import type { Command } from "./command.js";
import { bool, flagHelp, parseFlags, str } from "./flags.js";
import { toJson } from "./io.js";
import { inFlagText, warningLine } from "./option-flags.js";
import {
  DEFAULT_DB,
  FILES_NOTE,
  inputPaths,
  loadOptionsFromFlags,
  RUNS_FLAGS,
} from "./runs-input.js";

// The store here is where rows go, not where they are read from: --db gets its own help.
const { db: _readDb, ...FILE_FLAGS } = RUNS_FLAGS;

const FLAGS = {
  family: str("NAME", "family of every row (default: the family column, else the file's name)"),
  db: str("PATH", `the store to add to (default ${DEFAULT_DB})`),
  json: bool("print {file, db, rows, inserted, skipped, filled, warnings} as JSON"),
  ...FILE_FLAGS,
} as const;

const HELP = `usage: scaleladder import FILE... [--family NAME] [--db PATH] [options]

Checks the runs in FILE and appends them to the project store (default ${DEFAULT_DB}).
Rows already stored are skipped, so importing a file twice adds nothing; a file with any
problem is refused whole and the store is left as it was. Long files keep every metric unless
--metric picks one; wide files give the --metric column (default loss).

${flagHelp(FLAGS)}
${FILES_NOTE}
`;

export const importCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("import", argv, FLAGS);
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
    const db = values.db ?? DEFAULT_DB;
    const store = await openStore(db);
    let r: Awaited<ReturnType<typeof store.importFile>>;
    try {
      r = await store.importFile(paths, {
        ...loadOptionsFromFlags(values),
        setFamily: values.family,
      });
    } finally {
      await store.close();
    }
    for (const w of r.warnings) io.err(warningLine(w));
    if (values.json)
      io.out(
        toJson({
          file,
          db,
          rows: r.rows,
          inserted: r.inserted,
          skipped: r.skipped,
          filled: r.filled,
          warnings: r.warnings.map((w) => inFlagText(w)),
        }),
      );
    else
      io.out(
        `imported ${count(r.inserted, "row")} from ${file} into ${db}${r.skipped > 0 ? ` (${r.skipped} already there, skipped)` : ""}${r.filled > 0 ? `; added unique tokens to ${count(r.filled, "stored row")}` : ""}\n`,
      );
    return 0;
  },
};
