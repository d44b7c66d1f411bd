import assert from "node:assert/strict";
import { test } from "node:test";
import { watchedWorker } from "../../src/math/workers.js";

const script = (code: string) => new URL(`data:text/javascript,${encodeURIComponent(code)}`);

test("a worker that exits unasked rejects, instead of leaving its caller waiting", async () => {
  const w = watchedWorker(script("process.exit(3)"), null, () => {});
  await assert.rejects(w.done, /exited with code 3/);
});

test("a worker's uncaught error rejects; a clean exit or a stop resolves", async () => {
  await assert.rejects(
    watchedWorker(script("throw new Error('boom')"), null, () => {}).done,
    /boom/,
  );
  const got: unknown[] = [];
  const clean = watchedWorker(
    script(
      "import { parentPort, workerData } from 'node:worker_threads'; parentPort.postMessage(workerData * 2);",
    ),
    21,
    (m) => got.push(m),
  );
  await clean.done;
  assert.deepEqual(got, [42]);
  const idle = watchedWorker(script("setInterval(() => {}, 1000)"), null, () => {});
  await idle.stop();
  await idle.done;
});
