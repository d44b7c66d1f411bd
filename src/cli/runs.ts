import { existsSync } from "node:fs";
import { formatSize } from "../data/size.js";
import type { FamilyRuns } from "../data/summary.js";
import { InputError } from "../errors.js";
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

const HELP = `usage: scaleladder runs [FILE] [--db PATH] [--where "SQL"] [--json]

Lists the families and models in the project store (default ${DEFAULT_DB}), or in FILE without
importing it: sizes, token ranges, checkpoint and seed counts, metrics.

  --json              print the summary as JSON
${RUNS_HELP}
`;

export const runsCommand: Command = {
  summary: "list the families and models in the store or a file",
  async run(argv, io) {
    const { values, positionals } = parseFlags("runs", argv, {
      ...RUNS_OPTIONS,
      json: { type: "boolean" },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const file = positionals[0] ?? (values.manifest as string | undefined);
    if (file && values.db)
      throw new InputError("give FILE or --db, not both", { field: "scaleladder runs" });
    const db = (values.db as string | undefined) ?? DEFAULT_DB;
    let families: FamilyRuns[];
    if (file) {
      const { summarizeFile } = await import("../data/summarize-file.js");
      const s = await summarizeFile(inputPaths(positionals, io), loadOptionsFromFlags(values));
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
        families = await store.summary(values.where as string | undefined);
      } finally {
        await store.close();
      }
    }
    io.out(values.json ? toJson({ source: file ?? db, families }) : runsText(families));
    return 0;
  },
};

/** The summary as an aligned text table: one line per family, then one per model. */
export function runsText(families: readonly FamilyRuns[]): string {
  if (families.length === 0) return "no runs\n";
  const range = (a: number, b: number) =>
    a === b ? formatSize(a) : `${formatSize(a)}–${formatSize(b)}`;
  const rows: string[][] = [
    ["family / model", "params", "tokens", "checkpoints", "seeds", "rows", "metrics"],
  ];
  for (const f of families) {
    rows.push([
      f.family || "(no family)",
      range(f.paramsMin, f.paramsMax),
      range(f.tokensMin, f.tokensMax),
      `${f.models.length} models`,
      String(f.seeds),
      String(f.rows),
      f.metrics.join(", "),
    ]);
    for (const m of f.models) {
      rows.push([
        `  ${m.model}`,
        formatSize(m.params),
        range(m.tokensMin, m.tokensMax),
        String(m.checkpoints),
        String(m.seeds),
        String(m.rows),
        "",
      ]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) =>
          c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
