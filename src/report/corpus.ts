import type { LoadedDataset } from "../data/corpus/index.js";
import type { FamilySummary } from "../data/corpus/summary.js";
import type { CorpusAdapter } from "../data/corpus/types.js";
import { formatSize } from "../data/size.js";

/** A family summary labelled with the dataset (adapter) it came from, or its source column. */
export type ListedFamily = FamilySummary & { dataset: string };

/** What `corpus list` found: families, the datasets read, those not found and those that failed. */
export interface CorpusListing {
  families: readonly ListedFamily[];
  datasets: readonly CorpusAdapter[];
  notFound: readonly string[];
  failed: readonly LoadedDataset[];
}

/** The listing as one JSON-ready object. */
export function corpusListJson(l: CorpusListing) {
  return {
    families: l.families,
    datasets: l.datasets.map((a) => ({ name: a.name, title: a.title, notes: a.notes })),
    notFound: l.notFound,
    failed: l.failed.map((d) => ({ name: d.name, error: d.failed })),
  };
}

/** The listing as text: the family table, each dataset's notes when asked, then what was missing. */
export function corpusListText(l: CorpusListing, notes: boolean): string {
  let text = familyTable(l.families);
  if (notes)
    for (const a of l.datasets)
      text += `\n${a.name}: ${a.title}\n${a.notes.map((n) => `  - ${n}\n`).join("")}`;
  for (const name of l.notFound)
    text += `not found: ${name} (scaleladder corpus download ${name})\n`;
  return text;
}

/** What `corpus list` says when the folder holds no dataset: the ones there are, and how to get them. */
export function noCorpusText(root: string, adapters: readonly CorpusAdapter[]): string {
  return `no corpus data in ${root}; available datasets:\n${adapters
    .map((a) => `  ${a.name.padEnd(20)} ${a.title}\n`)
    .join("")}get them with: scaleladder corpus download [NAME...]\n`;
}

/** One dataset's line in `corpus build`: its name, then what became of it. */
export function datasetLine(name: string, outcome: string): string {
  return `${name.padEnd(20)} ${outcome}\n`;
}

/** The text table of `corpus list`. */
export function familyTable(families: readonly ListedFamily[]): string {
  const head = ["family", "dataset", "models", "runs", "ckpts", "params", "tokens", "metrics"];
  const rows = families.map((f) => [
    f.family,
    f.dataset,
    String(f.models),
    String(f.runs),
    String(f.maxCheckpoints),
    `${formatSize(f.minParams)}–${formatSize(f.maxParams)}`,
    `${formatSize(f.minTokens)}–${formatSize(f.maxTokens)}`,
    f.metrics.length > 3
      ? `${f.metrics.slice(0, 3).join(", ")}, +${f.metrics.length - 3}`
      : f.metrics.join(", "),
  ]);
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    `${r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(width[c]))).join("  ")}\n`;
  return line(head) + rows.map(line).join("");
}
