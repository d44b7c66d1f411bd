import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { RunTable } from "../data/types.js";
import { runChunk } from "./run-cell.js";
import type { Chunk, Progress, ResultRow } from "./types.js";

/** Options of {@link runChunksParallel}. */
export interface ParallelOptions {
  /** Worker threads; defaults to the machine's cores. 1 runs in this thread. */
  readonly workers?: number;
  /** Called with each finished chunk's rows, in completion order (the caller saves them). */
  readonly onChunk: (chunk: Chunk, rows: ResultRow[]) => void;
  readonly onProgress?: (p: Progress) => void;
  /** Stops handing out chunks and ends the workers; finished chunks have already been reported. */
  readonly signal?: AbortSignal;
}

/**
 * Runs chunks across worker threads, largest first so the last worker is not left with the longest
 * chunk. Each worker receives the table once. A chunk that throws rejects the whole run: chunks
 * record per-cell failures themselves, so a throw is a bug.
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
  const finish = (chunk: Chunk, rows: ResultRow[]) => {
    o.onChunk(chunk, rows);
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
    for (const chunk of queue) {
      if (o.signal?.aborted) return;
      finish(chunk, runChunk(table, chunk, now));
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
          const w = new Worker(new URL("./worker.js", import.meta.url), { workerData: { table } });
          const next = () => {
            const c = o.signal?.aborted ? undefined : queue.shift();
            if (c) w.postMessage(c);
            else void w.terminate().then(() => resolve());
          };
          o.signal?.addEventListener("abort", () => void w.terminate().then(() => resolve()), {
            once: true,
          });
          w.on("message", (m: { id: string; rows?: ResultRow[]; error?: string }) => {
            if (m.error !== undefined) {
              void w.terminate();
              reject(new Error(`analysis chunk ${m.id} failed: ${m.error}`));
              return;
            }
            finish(byId.get(m.id) as Chunk, m.rows as ResultRow[]);
            next();
          });
          w.once("error", reject);
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
