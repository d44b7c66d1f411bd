import { existsSync } from "node:fs";
import type { FamilyRuns } from "../data/summary.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import { naturalOrder, rowObjects, rowsText, runsText } from "../report/runs.js";
import type { Command } from "./command.js";
import { bool, type FlagValues, flagHelp, parseFlags } from "./flags.js";
import { type Io, toJson } from "./io.js";
import { warningLine } from "./option-flags.js";
import {
  DEFAULT_DB,
  defaultFamilyOf,
  FILES_NOTE,
  inputPaths,
  loadOptionsFromFlags,
  RUNS_FLAGS,
} from "./runs-input.js";

const FLAGS = {
  long: bool("every row instead: family, model, seed, metric, params, tokens, step, value"),
  json: bool("print the summary (or, with --long, the rows) as JSON"),
  ...RUNS_FLAGS,
} as const;

const HELP = `usage: scaleladder runs [FILE...] [--db PATH] [--where "SQL"] [--long] [--json]

Lists the families and models in the project store (default ${DEFAULT_DB}), or in FILE without
importing it: sizes, token ranges, checkpoint and seed counts, metrics. Models are listed by
size, then by name with numbers in order (T200 before T1000).

${flagHelp(FLAGS)}
${FILES_NOTE}
`;

export const runsCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values, positionals } = parseFlags("runs", argv, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const file = positionals[0] ?? values.manifest;
    if (file && values.db)
      throw new InputError("give FILE or --db, not both", { field: "scaleladder runs" });
    const db = values.db ?? DEFAULT_DB;
    if (!file && !values.db && !existsSync(db)) {
      throw new InputError("no store here yet", {
        file: db,
        hint: "import runs first: scaleladder import runs.csv, or list a file: scaleladder runs runs.csv",
      });
    }
    if (values.long) {
      const table = await allRows(values, positionals, file, db, io);
      io.out(
        values.json ? toJson({ source: file ?? db, rows: rowObjects(table) }) : rowsText(table),
      );
      return 0;
    }
    let families: FamilyRuns[];
    if (file) {
      const { summarizeFile } = await import("../data/summarize-file.js");
      const paths = inputPaths(positionals, io);
      const options = loadOptionsFromFlags(values);
      const s = await summarizeFile(paths, {
        defaultFamily: defaultFamilyOf(paths, options.manifest),
        ...options,
      });
      for (const w of s.warnings) io.err(warningLine(w));
      families = s.families;
    } else {
      const { openStore } = await import("../data/store.js");
      const store = await openStore(db);
      try {
        families = await store.summary(values.where);
      } finally {
        await store.close();
      }
    }
    families = naturalOrder(families);
    const width = Math.max(80, process.stdout.columns ?? 120);
    io.out(values.json ? toJson({ source: file ?? db, families }) : runsText(families, width));
    return 0;
  },
};

/** Every row of the input, for --long. */
async function allRows(
  values: FlagValues<typeof FLAGS>,
  positionals: string[],
  file: string | undefined,
  db: string,
  io: Io,
): Promise<RunTable> {
  const options = loadOptionsFromFlags(values);
  if (file) {
    const { loadRuns } = await import("../data/load.js");
    const paths = inputPaths(positionals, io);
    const t = await loadRuns(paths, {
      defaultFamily: defaultFamilyOf(paths, options.manifest),
      ...options,
    });
    for (const w of t.warnings ?? []) io.err(warningLine(w));
    return t;
  }
  const { openStore } = await import("../data/store.js");
  const store = await openStore(db);
  try {
    return await store.query(options.where, { metric: options.metric });
  } finally {
    await store.close();
  }
}
