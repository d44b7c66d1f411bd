import { closeSync, openSync, readSync } from "node:fs";
import { watchedWorker } from "../math/workers.js";
import { type PlainFile, readRows, readWhole } from "./plain-csv.js";
import { checkpointEnds, type Rows, stringsOf, type Text, tableOf } from "./plain-rows.js";
import type { LoadOptions } from "./stage.js";
import type { RunTable } from "./types.js";

/**
 * The JavaScript reader (plain-csv.ts) in two threads, for big files: the file is cut after the
 * first newline from the byte `near` on; a worker (plain-worker.ts) reads the second part while
 * this thread reads the first, with the same code, and the parts are merged as one pass would have
 * built them. Every check that spans rows (one size per model, checkpoints in order, the unit
 * warnings) is made on the merged rows, so the table and the files declined are one pass's.
 */
export async function readInTwo(
  file: PlainFile,
  o: LoadOptions,
  near = Math.floor(file.size / 2),
  chunkBytes = 1 << 23,
): Promise<RunTable | undefined> {
  const cut = lineAfter(file.path, near);
  if (cut === undefined) return readWhole(file, o, chunkBytes);
  let worker: ReturnType<typeof watchedWorker> | undefined;
  const second = new Promise<Part | null>((resolve, reject) => {
    worker = watchedWorker(
      new URL("./plain-worker.js", import.meta.url),
      { file, o, from: cut, chunkBytes },
      (m) => resolve(m as Part | null),
    );
    // Its message comes before its exit: an exit without one is a failure.
    worker.done.then(
      () => reject(new Error("the CSV reader's worker ended without its rows")),
      reject,
    );
  });
  const stop = async () => {
    second.catch(() => {});
    await worker?.stop();
  };
  let first: Part | undefined;
  try {
    // Room for the whole file's rows, so the second part is copied in place.
    first = readPart(file, o, 0, cut, file.size, chunkBytes);
  } catch (e) {
    await stop();
    throw e;
  }
  if (first === undefined) {
    await stop();
    return undefined;
  }
  // While the worker reads on, the first part's text columns become strings.
  const head = { rows: withStrings(first.rows), ends: first.ends };
  const rest = await second;
  return rest === null ? undefined : joinParts(head, rest, file);
}

/** A part of a file read: its rows and where each run's checkpoints begin and end. */
export interface Part {
  readonly rows: Rows;
  /** See {@link checkpointEnds}. */
  readonly ends: Int32Array;
}

/**
 * The rows of bytes `from … to` (see readRows) and their checkpoint ends; undefined where the
 * reader declines them, the checkpoint check included: any part of a file that fails it fails it
 * in the whole file too.
 */
export function readPart(
  file: PlainFile,
  o: LoadOptions,
  from: number,
  to: number,
  sizeHint: number,
  chunkBytes = 1 << 23,
): Part | undefined {
  const rows = readRows(file, o, from, to, sizeHint, chunkBytes);
  const ends = rows === undefined ? undefined : checkpointEnds(rows);
  return rows === undefined || ends === undefined ? undefined : { rows, ends };
}

/**
 * The table of the first part (text as strings, see {@link withStrings}) and the second, or
 * undefined where one pass over both declines.
 */
export function joinParts(head: Part, rest: Part, file: PlainFile): RunTable | undefined {
  // Before the merge adds the second part's runs to them.
  const runsA = head.rows.runIds.size;
  const na = head.rows.n;
  const merged = mergeRows(head.rows, rest.rows);
  if (merged === undefined) return undefined;
  const ordered = followOn(merged.rows, na, runsA, merged.runs, head.ends, rest.ends);
  return tableOf(merged.rows, file.path, file.res, ordered);
}

/**
 * True when each run in both parts has all its second-part checkpoints after its first-part ones,
 * with steps in both or neither and tokens not falling between them: both parts passed the check,
 * so the merged rows pass it. False leaves the check to tableOf, on all the rows.
 */
function followOn(
  r: Rows,
  na: number,
  runsA: number,
  runs: Int32Array,
  endsA: Int32Array,
  endsB: Int32Array,
): boolean {
  const { step, tokens } = r;
  for (let j = 0; j < runs.length; j++) {
    const k = runs[j];
    if (k >= runsA) continue;
    const last = endsA[2 * k + 1];
    const next = endsB[2 * j] + na;
    const steps = !Number.isNaN(step[last]);
    if (Number.isNaN(step[next]) === steps) return false;
    const key = steps ? step : tokens;
    if (!(key[last] < key[next])) return false;
    if (steps && tokens[next] < tokens[last]) return false;
  }
  return true;
}

/** The offset just after the first newline at or after byte `near`; undefined when none. */
export function lineAfter(path: string, near: number): number | undefined {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    for (let pos = near; ; ) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got === 0) return undefined;
      const nl = buf.subarray(0, got).indexOf(10);
      if (nl >= 0) return pos + nl + 1;
      pos += got;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The rows of `a` (text as strings, see {@link withStrings}) followed by those of `b` (as a builder
 * made them), as one builder would have made them from both (the same values, strings and runs,
 * numbered by first appearance); undefined when a model has one size in `a` and another in `b`,
 * where one pass declines. Reuses `a`'s arrays where they have room. `runs`: the merged run of each
 * of `b`'s.
 */
export function mergeRows(a: Rows, b: Rows): { rows: Rows; runs: Int32Array } | undefined {
  for (const [model, p] of b.sizes) {
    const q = a.sizes.get(model);
    if (q !== undefined && q !== p) return undefined;
    a.sizes.set(model, p);
  }
  const na = a.n;
  const nb = b.n;
  const n = na + nb;
  const runOf = room(a.runOf, na, n);
  const runIds = a.runIds;
  const runParams = a.runParams;
  const runs = new Int32Array(b.runIds.size);
  for (const [key, id] of b.runIds) {
    let to = runIds.get(key);
    if (to === undefined) {
      to = runIds.size;
      runIds.set(key, to);
      runParams.push(b.runParams[id]);
    }
    runs[id] = to;
  }
  for (let i = 0; i < nb; i++) runOf[na + i] = runs[b.runOf[i]];
  const seen = [...new Set([...a.seen, ...b.seen])];
  const numbers = (x: Float64Array, y: Float64Array) => {
    const out = room(x, na, n);
    out.set(y.subarray(0, nb), na);
    return out;
  };
  const rows: Rows = {
    n,
    params: numbers(a.params, b.params),
    tokens: numbers(a.tokens, b.tokens),
    flops: numbers(a.flops, b.flops),
    value: numbers(a.value, b.value),
    step: numbers(a.step, b.step),
    // Rows only when the file has the column, and then in both parts.
    unique: seen.includes("unique") ? numbers(a.unique, b.unique) : a.unique,
    extra: a.extra.map((x, i) => numbers(x, b.extra[i])),
    family: texts(a.family, b.family, na, nb),
    model: texts(a.model, b.model, na, nb),
    metric: texts(a.metric, b.metric, na, nb),
    seed: texts(a.seed, b.seed, na, nb),
    optional: {
      arch: a.optional.arch.concat(b.optional.arch),
      dataset: a.optional.dataset.concat(b.optional.dataset),
      source: a.optional.source.concat(b.optional.source),
    },
    seen,
    maxP: Math.max(a.maxP, b.maxP),
    maxT: Math.max(a.maxT, b.maxT),
    runOf,
    runIds,
    runParams,
    sizes: a.sizes,
  };
  return { rows, runs };
}

/**
 * `r` with its text columns as strings, in arrays with room for the rows its numbers have room for
 * (the whole file's, for the first part): {@link mergeRows} appends the second part's to them.
 */
export function withStrings(r: Rows): Rows {
  const room = r.params.length;
  // A constant column stays one (tableOf fills it, after the merge: less memory held at once).
  const strings = (c: Text) =>
    !Array.isArray(c) && c.constant !== undefined ? c : stringsOf(c, r.n, new Array<string>(room));
  return {
    ...r,
    family: strings(r.family),
    model: strings(r.model),
    metric: strings(r.metric),
    seed: strings(r.seed),
  };
}

/** A text column of `a`'s rows (strings, or a constant) then `b`'s (codes, or the same constant). */
function texts(a: Text, b: Text, na: number, nb: number): Text {
  if (Array.isArray(b)) throw new Error("mergeRows: the second part's text is not codes");
  // Both parts were built with the same options: a constant column is the same constant.
  if (!Array.isArray(a)) {
    if (a.constant === undefined) throw new Error("mergeRows: the first part's text is codes");
    return a;
  }
  a.length = na + nb;
  // The worker's copies of the strings: the same values as one pass's.
  const { codes, distinct } = b;
  for (let i = 0; i < nb; i++) a[na + i] = distinct[codes[i]];
  return a;
}

/** `x` if it has room for `n` items, else a copy of its first `used` in an array of `n`. */
function room<T extends Float64Array | Int32Array>(x: T, used: number, n: number): T {
  if (x.length >= n) return x;
  const out = new (x.constructor as new (n: number) => T)(n);
  out.set(x.subarray(0, used));
  return out;
}
