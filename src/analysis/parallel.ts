import { availableParallelism } from "node:os";
import type { RunTable } from "../data/types.js";
import { watchedWorker } from "../math/workers.js";
import { chunkCache, runChunk } from "./run-cell.js";
import type { Chunk, Progress, ResultRow } from "./types.js";

/** Options of {@link runChunksParallel}. */
export interface ParallelOptions {
  /** Worker threads; defaults to the machine's cores. 1 runs in this thread. */
  readonly workers?: number;
  /**
   * Called with each finished chunk's rows, in completion order (the caller saves them), and the
   * number of laws it actually fitted (the others were reused from an identical training set).
   */
  readonly onChunk: (chunk: Chunk, rows: ResultRow[], fitted: number) => void;
  readonly onProgress?: (p: Progress) => void;
  /** Stops handing out chunks and ends the workers; finished chunks have already been reported. */
  readonly signal?: AbortSignal;
}

/**
 * Runs chunks across worker threads, largest first so the last worker is not left with the longest
 * chunk. Each worker receives the table once and keeps its fits; a worker that finishes a chunk
 * takes the next one of the same family and protocol when there is one, so the fits that
 * experiments share are made once (`fit-memo.ts`). A chunk that throws rejects the whole
 * run: chunks record per-cell failures themselves, so a throw is a bug.
 */
export async function runChunksParallel(
  table: RunTable,
  chunks: readonly Chunk[],
  o: ParallelOptions,
): Promise<void> {
  const size = familySizes(table);
  const cost = (c: Chunk) =>
    c.cells.length * (size.get(c.family) ?? 0) * (c.experiment === "baselines" ? 0.01 : 1);
  const queue = [...chunks].sort((a, b) => cost(b) - cost(a));
  const totalCells = chunks.reduce((s, c) => s + c.cells.length, 0);
  let doneCells = 0;
  let doneChunks = 0;
  const finish = (chunk: Chunk, rows: ResultRow[], fitted: number) => {
    o.onChunk(chunk, rows, fitted);
    doneCells += chunk.cells.length;
    doneChunks++;
    o.onProgress?.({
      doneCells,
      totalCells,
      doneChunks,
      totalChunks: chunks.length,
      chunk: chunk.id,
    });
  };
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), queue.length));
  if (workers === 1) {
    const now = () => performance.now();
    const cache = chunkCache();
    for (const chunk of queue) {
      if (o.signal?.aborted) return;
      const before = cache.fits.computed;
      const rows = runChunk(table, chunk, now, cache);
      finish(chunk, rows, cache.fits.computed - before);
      // Let a pending interrupt be seen between chunks.
      await new Promise((r) => setImmediate(r));
    }
    return;
  }
  const byId = new Map(queue.map((c) => [c.id, c]));
  await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<void>((resolve, reject) => {
          let last: Chunk | undefined;
          const w = watchedWorker(new URL("./worker.js", import.meta.url), { table }, (message) => {
            const m = message as {
              id: string;
              rows?: ResultRow[];
              fitted?: number;
              error?: string;
            };
            if (m.error !== undefined) {
              void w.stop();
              reject(new Error(`analysis chunk ${m.id} failed: ${m.error}`));
              return;
            }
            finish(byId.get(m.id) as Chunk, m.rows as ResultRow[], m.fitted ?? 0);
            next();
          });
          const next = () => {
            last = o.signal?.aborted ? undefined : takeNext(queue, last);
            if (last) w.post(last);
            else void w.stop();
          };
          o.signal?.addEventListener("abort", () => void w.stop(), { once: true });
          w.done.then(resolve, reject);
          next();
        }),
    ),
  );
}

/** Rows per family: a chunk's cost is about its cells times its family's rows. */
function familySizes(table: RunTable): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < table.length; i++) m.set(table.family[i], (m.get(table.family[i]) ?? 0) + 1);
  return m;
}

/**
 * Removes and returns the next chunk for a worker that just ran `last`: the largest queued chunk of
 * the same family and protocol (its fits are in that worker's memory), else the largest of all.
 */
function takeNext(queue: Chunk[], last: Chunk | undefined): Chunk | undefined {
  const i = last
    ? queue.findIndex((c) => c.family === last.family && c.protocol === last.protocol)
    : -1;
  return queue.splice(Math.max(i, 0), 1)[0];
}
