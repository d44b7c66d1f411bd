import { parentPort, workerData } from "node:worker_threads";
import type { RunTable } from "../data/types.js";
import type { Family } from "../estimate/selection.js";
import { runChunk } from "./run-cell.js";
import type { Chunk } from "./types.js";

// Worker entry of runChunksParallel: holds the table (sent once) and runs the chunks it is given,
// posting each chunk's rows back as soon as it is done. The worker is the clock's edge: fits are
// timed here, never inside analysis functions.
const table = workerData.table as RunTable;
const cache = new Map<string, Family>();
parentPort?.on("message", (chunk: Chunk | null) => {
  if (chunk === null) {
    parentPort?.close();
    return;
  }
  try {
    parentPort?.postMessage({
      id: chunk.id,
      rows: runChunk(table, chunk, () => performance.now(), cache),
    });
  } catch (e) {
    parentPort?.postMessage({ id: chunk.id, error: (e as Error).stack ?? String(e) });
  }
});
