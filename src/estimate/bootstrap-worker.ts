import { parentPort } from "node:worker_threads";
import { bootstrapRange } from "./bootstrap.js";

// Runs one range of bootstrap resamples for bootstrapParallel and posts the replicates back. The
// range comes as a message, not as workerData, so the thread can start before it is known; with the
// one listener gone the thread ends.
parentPort?.once("message", ({ data, options, fallback, seed, from, to }) => {
  parentPort?.postMessage(bootstrapRange(data, options, seed, from, to, fallback));
});
