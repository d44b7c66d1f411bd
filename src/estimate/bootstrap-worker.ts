import { parentPort, workerData } from "node:worker_threads";
import { bootstrapRange } from "./bootstrap.js";

// Runs one range of bootstrap resamples for bootstrapParallel and posts the replicates back.
const { data, options, seed, from, to } = workerData;
parentPort?.postMessage(bootstrapRange(data, options, seed, from, to));
