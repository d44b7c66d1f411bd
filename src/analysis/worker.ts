import { parentPort, workerData } from "node:worker_threads";
import type { RunTable } from "../data/types.js";
import { chunkCache, runChunk } from "./run-cell.js";
import type { Chunk } from "./types.js";

// Worker entry of runChunksParallel: holds the table (sent once) and runs the chunks it is given,
// posting each chunk's rows back as soon as it is done, with how many fits it computed (the rest
// were reused from earlier chunks of this worker). The worker is the clock's edge: fits are
// timed here, never inside analysis functions.
const table = workerData.table as RunTable;
const cache = chunkCache();
parentPort?.on("message", (chunk: Chunk) => {
  try {
    const before = cache.fits.computed;
    const rows = runChunk(table, chunk, () => performance.now(), cache);
    parentPort?.postMessage({ id: chunk.id, rows, fitted: cache.fits.computed - before });
  } catch (e) {
    parentPort?.postMessage({ id: chunk.id, error: (e as Error).stack ?? String(e) });
  }
});
