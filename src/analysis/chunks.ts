import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../data/atomic.js";
import type { Chunk, ResultRow } from "./types.js";

/**
 * The analysis's chunk store: each finished chunk's rows saved as `DIR/chunks/ID.json` with a key
 * of its cells and source, so an interrupted run resumes and a changed setting recomputes. The
 * analysis's one place of file I/O.
 */

/** Saves a finished chunk's rows (atomically: a killed run leaves whole chunks or none). */
export function saveChunk(
  dir: string,
  chunk: Chunk,
  source: string,
  rows: readonly ResultRow[],
): void {
  writeFileAtomic(
    join(dir, "chunks", `${chunk.id}.json`),
    `${JSON.stringify({ id: chunk.id, key: chunkKey(chunk, source), rows }, null, 2)}\n`,
  );
}

/** A chunk's identity for resumption: its cells and the data they read. */
function chunkKey(chunk: Chunk, source: string): string {
  return createHash("sha256")
    .update(JSON.stringify({ cells: chunk.cells, source }))
    .digest("hex")
    .slice(0, 16);
}

/** Rows of a chunk saved by an earlier run with the same settings, or null. */
export function readChunk(dir: string, chunk: Chunk, source: string): ResultRow[] | null {
  const path = join(dir, "chunks", `${chunk.id}.json`);
  if (!existsSync(path)) return null;
  try {
    const saved = JSON.parse(readFileSync(path, "utf8")) as { key: string; rows: ResultRow[] };
    if (saved.key !== chunkKey(chunk, source)) return null;
    // JSON has no NaN: toJson wrote null; restore it so means skip it.
    return saved.rows.map((r) => restoreNumbers(r));
  } catch {
    return null;
  }
}

const NUMERIC: readonly (keyof ResultRow)[] = [
  "largestParams",
  "scaleUp",
  "are",
  "areFinal",
  "predicted",
  "actual",
  "E",
  "A",
  "B",
  "alpha",
  "beta",
  "objective",
];

function restoreNumbers(r: ResultRow): ResultRow {
  const out = { ...r } as Record<string, unknown>;
  for (const k of NUMERIC) if (out[k] === null) out[k] = Number.NaN;
  return out as unknown as ResultRow;
}

/** Orders result rows by the settings that identify a cell, never by results. */
export function byCell(a: ResultRow, b: ResultRow): number {
  const key = (r: ResultRow) =>
    [
      r.experiment,
      r.protocol,
      r.family,
      r.target,
      r.baseline ?? "",
      r.heldOut ?? "",
      r.models,
    ].join("\u0000");
  const ka = key(a);
  const kb = key(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return (
    (a.k ?? -1) - (b.k ?? -1) ||
    a.fraction - b.fraction ||
    (a.m ?? -1) - (b.m ?? -1) ||
    a.minTokens - b.minTokens
  );
}
