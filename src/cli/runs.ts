import { existsSync } from "node:fs";
import { formatSize } from "../data/size.js";
import type { FamilyRuns } from "../data/summary.js";
import type { RunTable } from "../data/types.js";
import { InputError } from "../errors.js";
import type { Command } from "./command.js";
import { bool, type FlagValues, flagHelp, parseFlags } from "./flags.js";
import { type Io, toJson } from "./io.js";
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
  summary: "list the families and models in the store or a file",
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
      for (const w of s.warnings) io.err(`scaleladder: warning: ${w}\n`);
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

/** The summary as an aligned text table: one line per family, then one per model. */
export function runsText(families: readonly FamilyRuns[], width = 120): string {
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
  // Long model names and metric lists are cut so each line fits `width` characters.
  const fit = (cell: string, max: number) =>
    cell.length > max ? `${cell.slice(0, Math.max(1, max - 1))}…` : cell;
  const colWidth = (c: number) => Math.max(...rows.map((r) => r[c].length));
  const middle = rows[0]
    .slice(1, -1)
    .map((_, c) => colWidth(c + 1) + 2)
    .reduce((a, b) => a + b, 0);
  // At least 16 characters of metrics; names give way first, down to 12.
  const nameMax = Math.max(12, Math.min(48, width - middle - 2 - 16));
  for (const r of rows) r[0] = fit(r[0], nameMax);
  const fixed = colWidth(0) + 2 + middle;
  for (const r of rows) r[r.length - 1] = fit(r[r.length - 1], Math.max(16, width - fixed));
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

/** Compares names with their numbers in numeric order: `T200` before `T1000`, `1.3B` before `13B`. */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+(?:\.\d+)?|\D+/g) ?? [];
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const nx = Number(x[i]);
    const ny = Number(y[i]);
    const d =
      Number.isFinite(nx) && Number.isFinite(ny) && /\d/.test(x[i]) && /\d/.test(y[i])
        ? nx - ny
        : x[i] < y[i]
          ? -1
          : x[i] > y[i]
            ? 1
            : 0;
    if (d !== 0) return d;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Families by name and models by size, then by name, numbers in numeric order. */
function naturalOrder(families: FamilyRuns[]): FamilyRuns[] {
  return [...families]
    .sort((a, b) => naturalCompare(a.family, b.family))
    .map((f) => ({
      ...f,
      models: [...f.models].sort((a, b) => a.params - b.params || naturalCompare(a.model, b.model)),
    }));
}

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
    for (const w of t.warnings ?? []) io.err(`scaleladder: warning: ${w}\n`);
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

/** Row indices in family, model (natural), seed, metric, tokens order. */
function rowOrder(t: RunTable): number[] {
  return Array.from({ length: t.length }, (_, i) => i).sort(
    (a, b) =>
      naturalCompare(t.family[a], t.family[b]) ||
      t.params[a] - t.params[b] ||
      naturalCompare(t.model[a], t.model[b]) ||
      naturalCompare(t.seed[a], t.seed[b]) ||
      naturalCompare(t.metric[a], t.metric[b]) ||
      t.tokens[a] - t.tokens[b],
  );
}

function rowObjects(t: RunTable) {
  return rowOrder(t).map((i) => ({
    family: t.family[i],
    model: t.model[i],
    seed: t.seed[i],
    metric: t.metric[i],
    params: t.params[i],
    tokens: t.tokens[i],
    step: Number.isNaN(t.step[i]) ? null : t.step[i],
    value: t.value[i],
  }));
}

/** Every row as an aligned table. */
function rowsText(t: RunTable): string {
  const rows = [["family", "model", "seed", "metric", "params", "tokens", "step", "value"]];
  for (const i of rowOrder(t))
    rows.push([
      t.family[i] || "(no family)",
      t.model[i],
      t.seed[i],
      t.metric[i],
      formatSize(t.params[i]),
      formatSize(t.tokens[i]),
      Number.isNaN(t.step[i]) ? "" : String(t.step[i]),
      String(Number(t.value[i].toPrecision(6))),
    ]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
