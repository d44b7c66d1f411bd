import { Worker } from "node:worker_threads";

/** A worker thread whose every way of failing is reported through {@link WatchedWorker.done}. */
export interface WatchedWorker {
  post(message: unknown): void;
  /** Ends the worker; `done` then resolves. */
  stop(): Promise<void>;
  /**
   * Resolves when the worker exits with code 0 or after {@link stop}; rejects on an uncaught error
   * in it or an exit nobody asked for (e.g. `process.exit(1)` or running out of memory), which
   * would otherwise leave its caller waiting forever.
   */
  readonly done: Promise<void>;
}

/**
 * Starts the worker script at `url` with `workerData`, calling `onMessage` for each message it
 * posts. The one place the bootstrap and the meta-analysis start threads.
 */
export function watchedWorker(
  url: URL,
  workerData: unknown,
  onMessage: (message: unknown) => void,
): WatchedWorker {
  const worker = new Worker(url, { workerData });
  let stopping = false;
  const done = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code === 0 || stopping) resolve();
      else reject(new Error(`worker ${url.pathname.split("/").pop()} exited with code ${code}`));
    });
  });
  worker.on("message", onMessage);
  return {
    post: (m) => worker.postMessage(m),
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
    done,
  };
}
