import { parentPort, workerData } from "node:worker_threads";
import { toFitData } from "../data/fitdata.js";
import type { RunTable } from "../data/types.js";
import { fit } from "../fit/fit.js";
import type { FitOptions } from "../fit/types.js";
import { postedFit } from "./fit-memo.js";

// Worker entry of runChunksParallel: holds the table (sent once) and fits the training sets it is
// given, posting each result back as soon as it is made. A fit that throws posts no result: the
// main thread then runs that cell itself and meets the same error there (a too-small training set
// is a per-cell status; anything else fails the run with its stack). The worker is the clock's
// edge: fits are timed here, never inside analysis functions.
const table = workerData.table as RunTable;
const now = () => performance.now();
parentPort?.on("message", (job: { id: number; rows: Int32Array; options: FitOptions }) => {
  let result: ReturnType<typeof postedFit> | null = null;
  try {
    result = postedFit(fit(toFitData(table, job.rows), { ...job.options, now }));
  } catch {
    result = null;
  }
  parentPort?.postMessage({ id: job.id, fit: result });
});
