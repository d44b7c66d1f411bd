import { resolve } from "node:path";
import {
  builtinCorpus,
  corpusAdapter,
  type LoadedCorpus,
  type LoadedDataset,
  loadCorpus,
} from "../data/corpus/index.js";
import { concatTables } from "../data/corpus/rows.js";
import { summarizeFamilies } from "../data/corpus/summary.js";
import { UPSTREAMS } from "../data/corpus/upstream.js";
import { corpusCacheDir, downloadDataset, resolveCorpusRoot } from "../data/download.js";
import type { RunTable } from "../data/types.js";
import { closest, InputError } from "../errors.js";
import {
  corpusListJson,
  corpusListText,
  datasetLine,
  type ListedFamily,
  noCorpusText,
} from "../report/corpus.js";
import type { Command } from "./command.js";
import { bool, type FlagValues, parseFlags, str } from "./flags.js";
import { checkOutput, type Io, toJson, writeError } from "./io.js";
import { inFlagText } from "./option-flags.js";

const HELP = `usage: scaleladder corpus <build | list | download> [NAME...] [options]

The public corpus: adapters that turn published training logs into scaleladder's run table.
Datasets: ${builtinCorpus.map((a) => a.name).join(", ")}.

  build [NAME...]     read the datasets (all found, or the named ones) and write them to the store
    --from DIR        folder holding one folder per dataset (default: $SCALELADDER_SHARED_DATA,
                      ../shared/data if present, else the download cache)
    --db PATH         store to write (default ./scaleladder.duckdb)
    --out FILE        write a Parquet file instead of the store
  list [NAME...]      families with model counts, size and token ranges, metrics
    --from DIR        as for build; --db PATH lists the corpus families already in a store
    --notes           also print what each adapter mapped and its caveats
    --json            machine-readable output
  download [NAME...]  fetch the datasets from their upstream repositories at pinned commits,
                      verify sha256 checksums, cache them, then build from the cache
    --cache DIR       cache folder (default $XDG_CACHE_HOME/scaleladder/corpus, or
                      ~/.cache/scaleladder/corpus)
    --no-build        only download
    --db PATH, --out FILE   as for build
`;

/** The flags of all three subcommands; the help above groups them by subcommand. */
const FLAGS = {
  from: str("DIR", "folder holding one folder per dataset"),
  db: str("PATH", "store to write, or to list"),
  out: str("FILE", "write a Parquet file instead of the store"),
  json: bool("machine-readable output"),
  notes: bool("also print what each adapter mapped and its caveats"),
  cache: str("DIR", "cache folder"),
  "no-build": bool("only download"),
} as const;
type Values = FlagValues<typeof FLAGS>;

const SUBCOMMANDS = ["build", "list", "download"];

export const corpusCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!sub || sub === "--help" || sub === "-h") {
      io.out(HELP);
      return sub ? 0 : 2;
    }
    if (!SUBCOMMANDS.includes(sub)) {
      const near = closest(sub, SUBCOMMANDS);
      throw new InputError(`unknown subcommand "${sub}"`, {
        field: "scaleladder corpus",
        hint: near ? `did you mean "${near}"?` : `expected ${SUBCOMMANDS.join(" | ")}`,
      });
    }
    const { values, positionals } = parseFlags(`corpus ${sub}`, rest, FLAGS);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    for (const name of positionals) corpusAdapter(name);
    if (values.db !== undefined && values.out !== undefined) {
      throw new InputError("give --db or --out, not both", { field: `scaleladder corpus ${sub}` });
    }
    if (sub === "list") return list(values, positionals, io);
    if (sub === "download") return download(values, positionals, io);
    const root = resolveCorpusRoot(values.from);
    return build(root, positionals, values, io);
  },
};

/**
 * Reads the corpus from `root` and writes it to the store, one import per dataset (each validated,
 * then written in one transaction: a failing dataset leaves the store as it was, and rebuilding adds
 * nothing already there), or to one Parquet file. Building everything keeps going past a failing
 * dataset and reports it (exit 2); naming datasets asks for all of them.
 */
async function build(root: string, names: string[], values: Values, io: Io): Promise<number> {
  const keepGoing = names.length === 0;
  if (values.out !== undefined) checkOutput(resolve(values.out), "file");
  const { table, datasets } = await loadCorpus(root, names, { keepGoing });
  const failed = new Map(datasets.filter((d) => d.failed).map((d) => [d.name, d.failed ?? ""]));
  const store = await import("../data/store.js");
  let target = values.out;
  let written = table;
  if (target !== undefined) {
    try {
      await store.writeParquet(table, resolve(target));
    } catch (e) {
      throw writeError(e, resolve(target));
    }
    for (const d of datasets)
      io.out(
        datasetLine(
          d.name,
          d.failed ? "not built" : d.skipped ? `skipped (${d.skipped})` : `${d.rows} rows`,
        ),
      );
  } else {
    target = values.db ?? "scaleladder.duckdb";
    const s = await store.openStore(target);
    const ok: RunTable[] = [];
    try {
      for (const d of datasets) {
        if (!d.table) {
          io.out(datasetLine(d.name, d.failed ? "not built" : `skipped (${d.skipped})`));
          continue;
        }
        try {
          const r = await s.importTable(d.table);
          ok.push(d.table);
          io.out(
            datasetLine(d.name, `${d.rows} rows (${r.inserted} new, ${r.skipped} already stored)`),
          );
        } catch (e) {
          if (!(keepGoing && e instanceof InputError)) throw e;
          failed.set(d.name, e.message);
          io.out(datasetLine(d.name, "not built"));
        }
      }
    } finally {
      await s.close();
    }
    written = concatTables(ok, table.origin);
  }
  if (written.length > 0)
    io.out(
      `wrote ${written.length} rows of ${new Set(written.family).size} families to ${target}\n`,
    );
  for (const [name, message] of failed) {
    const lines = inFlagText(message).split("\n");
    const shown = lines.slice(0, 4).join("\n  ");
    io.err(
      `scaleladder: ${name} not built: ${shown}${lines.length > 4 ? `\n  … ${lines.length - 4} more lines` : ""}\n`,
    );
  }
  return failed.size > 0 ? 2 : 0;
}

/** Lists corpus families: read from the corpus folder, or every family of a store (--db). */
async function list(values: Values, names: string[], io: Io): Promise<number> {
  let families: ListedFamily[];
  let skipped: string[] = [];
  let failed: LoadedDataset[] = [];
  let shown = builtinCorpus.filter((a) => names.length === 0 || names.includes(a.name));
  if (values.db !== undefined) {
    const s = await (await import("../data/store.js")).openStore(values.db);
    try {
      families = summarizeFamilies(await s.query()).map((f) => ({ ...f, dataset: f.source }));
    } finally {
      await s.close();
    }
  } else {
    const root = resolveCorpusRoot(values.from);
    let loaded: LoadedCorpus;
    try {
      loaded = await loadCorpus(root, names, { keepGoing: names.length === 0 });
    } catch (e) {
      if (
        !(e instanceof InputError) ||
        names.length > 0 ||
        !/no corpus dataset found/.test(e.message)
      )
        throw e;
      io.out(noCorpusText(root, builtinCorpus));
      return 0;
    }
    const datasetOf = new Map(
      loaded.datasets.flatMap((d) => d.families.map((f) => [f, d.name] as const)),
    );
    families = summarizeFamilies(loaded.table)
      .map((f) => ({ ...f, dataset: datasetOf.get(f.family) ?? f.source }))
      .sort((x, y) => x.dataset.localeCompare(y.dataset) || x.family.localeCompare(y.family));
    skipped = loaded.datasets.filter((d) => d.skipped).map((d) => d.name);
    failed = loaded.datasets.filter((d) => d.failed);
    shown = shown.filter((a) => loaded.datasets.some((d) => d.name === a.name && d.rows > 0));
  }
  const listing = { families, datasets: shown, notFound: skipped, failed };
  io.out(
    values.json ? toJson(corpusListJson(listing)) : corpusListText(listing, values.notes === true),
  );
  if (values.json) return 0;
  for (const d of failed)
    io.err(`scaleladder: ${d.name} not read: ${inFlagText(d.failed ?? "")}\n`);
  return 0;
}

/** Downloads the named datasets (default: all), then builds from the cache unless --no-build. */
async function download(values: Values, names: string[], io: Io): Promise<number> {
  const cacheDir = resolve(values.cache ?? corpusCacheDir());
  const wanted = names.length > 0 ? names : UPSTREAMS.map((u) => u.name);
  for (const name of wanted) {
    const r = await downloadDataset(name, {
      cacheDir,
      onProgress: io.isTTY ? (p) => io.err(`\r${name}: ${p.done}/${p.total} files`) : undefined,
    });
    if (io.isTTY) io.err("\n");
    io.out(
      datasetLine(
        name,
        `${r.files} files verified, ${r.fetched} fetched (${(r.bytes / 1e6).toFixed(1)} MB) → ${r.dir}`,
      ),
    );
  }
  if (values["no-build"]) return 0;
  return build(cacheDir, wanted, values, io);
}
