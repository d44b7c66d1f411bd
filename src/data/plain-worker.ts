import { parentPort, workerData } from "node:worker_threads";
import type { PlainFile } from "./plain-csv.js";
import { readPart } from "./plain-parallel.js";
import type { Rows } from "./plain-rows.js";
import type { LoadOptions } from "./stage.js";

// Worker entry of readInTwo (plain-parallel.ts): reads the file from byte `from` (just after a
// newline) to its end and posts the part (rows and checkpoint ends), their arrays moved rather than
// copied, or null where the reader declines.
const { file, o, from, chunkBytes } = workerData as {
  file: PlainFile;
  o: LoadOptions;
  from: number;
  chunkBytes: number;
};
const part = readPart(file, o, from, Number.POSITIVE_INFINITY, file.size - from, chunkBytes);
const moved = part === undefined ? [] : arraysOf(part.rows, part.ends);
parentPort?.postMessage(part ?? null, moved);

function arraysOf(rows: Rows, ends: Int32Array): ArrayBuffer[] {
  const texts = [rows.family, rows.model, rows.metric, rows.seed];
  return [
    rows.params,
    rows.tokens,
    rows.flops,
    rows.value,
    rows.step,
    rows.unique,
    ...rows.extra,
    ...texts.flatMap((t) => (Array.isArray(t) ? [] : [t.codes])),
    rows.runOf,
    ends,
  ].map((x) => x.buffer as ArrayBuffer);
}
