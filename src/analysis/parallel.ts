import { availableParallelism } from "node:os";
import type { RunTable } from "../data/types.js";
import type { FitOptions } from "../fit/types.js";
import { type WatchedWorker, watchedWorker } from "../math/workers.js";
import { memoKey, type PostedFit, receivedFit, sameRows } from "./fit-memo.js";
import { chunkCache, chunkTrainingSets, runChunk, type TrainingSet } from "./run-cell.js";
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
  /** Stops handing out fits and ends the workers; finished chunks have already been reported. */
  readonly signal?: AbortSignal;
}

/** Fits a worker has been handed and not yet answered: enough that it never waits for this thread. */
const IN_FLIGHT = 2;

/**
 * Runs chunks, largest first. With one worker, in this thread, chunk after chunk, with one memory of
 * fits (`fit-memo.ts`) so a training set that several experiments share is fitted once. With more,
 * the unit handed to a worker is one fit, not one chunk: this thread lists each chunk's training
 * sets (in chunk order, largest sets first), hands every distinct one to whichever worker is free,
 * and scores a chunk itself once all its fits are back. So a fit shared by experiments is still made
 * once in the whole run, and GPT-3's long chunks are spread over every core instead of holding one.
 * A fit is a deterministic function of its rows and options, so which thread made it changes no
 * result. A chunk that throws rejects the whole run: chunks record per-cell failures themselves, so
 * a throw is a bug.
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
  const cache = chunkCache();
  const now = () => performance.now();
  const finish = (chunk: Chunk) => {
    const before = cache.fits.computed;
    const rows = runChunk(table, chunk, now, cache);
    o.onChunk(chunk, rows, cache.fits.computed - before);
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
    for (const chunk of queue) {
      if (o.signal?.aborted) return;
      finish(chunk);
      // Let a pending interrupt be seen between chunks.
      await new Promise((r) => setImmediate(r));
    }
    return;
  }
  const plan = new FitPlan(table, queue, cache, finish);
  await new Promise<void>((resolve, reject) => {
    const pool: WatchedWorker[] = [];
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      for (const w of pool) void w.stop();
      if (error === undefined) resolve();
      else reject(error);
    };
    const feed = (w: WatchedWorker, busy: Set<number>) => {
      try {
        while (!o.signal?.aborted && busy.size < IN_FLIGHT) {
          const job = plan.next();
          if (!job) break;
          busy.add(job.id);
          w.post({ id: job.id, rows: Int32Array.from(job.rows), options: job.options });
        }
        if (o.signal?.aborted || plan.finished()) end();
      } catch (e) {
        end(e);
      }
    };
    o.signal?.addEventListener("abort", () => end(), { once: true });
    for (let i = 0; i < workers; i++) {
      const busy = new Set<number>();
      const w = watchedWorker(new URL("./worker.js", import.meta.url), { table }, (message) => {
        const m = message as { id: number; fit: PostedFit | null };
        busy.delete(m.id);
        try {
          plan.done(m.id, m.fit);
        } catch (e) {
          end(e);
          return;
        }
        feed(w, busy);
      });
      w.done.catch((e) => end(e));
      pool.push(w);
      feed(w, busy);
      if (ended) break;
    }
  });
}

/** One distinct training set to fit, and the chunks waiting for it. */
interface Job extends TrainingSet {
  readonly id: number;
  readonly key: string;
  readonly chunks: Chunk[];
}

/**
 * The fits of a list of chunks, handed out one at a time: chunks are listed in order as the fits
 * run out, each training set becomes one job however many cells and chunks share it, and a chunk
 * is finished (scored, with every fit it needs in the memo) as soon as its last job is back.
 */
class FitPlan {
  private listed = 0;
  private nextId = 0;
  private readonly jobs: Job[] = [];
  private readonly open = new Map<number, Job>();
  private readonly byKey = new Map<string, Job[]>();
  private readonly waiting = new Map<Chunk, number>();

  constructor(
    private readonly table: RunTable,
    private readonly chunks: readonly Chunk[],
    private readonly cache: ReturnType<typeof chunkCache>,
    private readonly finish: (chunk: Chunk) => void,
  ) {}

  /** The next fit to hand out, or undefined when every chunk is listed and every fit handed out. */
  next(): Job | undefined {
    while (this.jobs.length === 0 && this.listed < this.chunks.length)
      this.list(this.chunks[this.listed++]);
    return this.jobs.shift();
  }

  /** Records a worker's fit (null: it threw, and the chunk's own run will meet the error). */
  done(id: number, posted: PostedFit | null): void {
    const job = this.open.get(id);
    if (!job) throw new Error(`a worker answered fit ${id}, which was not handed out`);
    this.open.delete(id);
    const same = this.byKey.get(job.key) ?? [];
    same.splice(same.indexOf(job), 1);
    if (same.length === 0) this.byKey.delete(job.key);
    if (posted) this.cache.fits.put(job.rows, job.options, receivedFit(posted, job.options));
    for (const chunk of job.chunks) {
      const left = (this.waiting.get(chunk) ?? 1) - 1;
      if (left > 0) this.waiting.set(chunk, left);
      else {
        this.waiting.delete(chunk);
        this.finish(chunk);
      }
    }
  }

  /** Whether every chunk has been listed and finished. */
  finished(): boolean {
    return this.listed === this.chunks.length && this.open.size === 0 && this.waiting.size === 0;
  }

  private list(chunk: Chunk): void {
    const added: Job[] = [];
    let waits = 0;
    for (const set of chunkTrainingSets(this.table, chunk, this.cache)) {
      // A fit a worker cannot receive (a law given as an object) is left to the chunk's own run.
      if (typeof set.options.law === "object") continue;
      const key = memoKey(set.rows, set.options);
      const same = this.byKey.get(key) ?? [];
      let job = same.find((j) => sameRows(j.rows, set.rows));
      if (!job) {
        job = { id: this.nextId++, key, rows: set.rows, options: plain(set.options), chunks: [] };
        same.push(job);
        this.byKey.set(key, same);
        this.open.set(job.id, job);
        added.push(job);
      }
      if (!job.chunks.includes(chunk)) {
        job.chunks.push(chunk);
        waits++;
      }
    }
    // Largest training sets first, so the run ends on small fits and no core waits for a long one.
    this.jobs.push(...added.sort((a, b) => b.rows.length - a.rows.length));
    if (waits > 0) this.waiting.set(chunk, waits);
    else this.finish(chunk);
  }
}

/** Fit options without the clock, which cannot be posted to a worker (it brings its own). */
function plain(options: FitOptions): FitOptions {
  const { now: _now, ...rest } = options;
  return rest;
}

/** Rows per family: a chunk's cost is about its cells times its family's rows. */
function familySizes(table: RunTable): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < table.length; i++) m.set(table.family[i], (m.get(table.family[i]) ?? 0) + 1);
  return m;
}
