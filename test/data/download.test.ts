import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { corpusAdapter } from "../../src/data/corpus/index.js";
import { UPSTREAMS, upstreamFiles } from "../../src/data/corpus/upstream.js";
import { cacheRoot, downloadDataset } from "../../src/data/download.js";
import { InputError } from "../../src/errors.js";
import { sharedPath, sharedSkip } from "../fixtures/shared.js";
import { tempDir } from "../fixtures/temp.js";
import { startUpstreamServer, type UpstreamServer } from "../fixtures/upstream-server.js";

const skip =
  sharedSkip("epoch-chinchilla") || sharedSkip("sldbench-github") || sharedSkip("gadre-overtrain");

let srv: UpstreamServer;

before(async () => {
  if (!skip) srv = await startUpstreamServer();
});

after(() => srv?.close());

const freshCache = () => tempDir("scaleladder-cache-");
test("download fetches the pinned files, verifies them, caches them, and the adapter reads the cache", {
  skip,
}, async () => {
  const cacheDir = freshCache();
  const r = await downloadDataset("gadre-overtrain", { cacheDir, origin: srv.origin });
  assert.equal(r.files, 104);
  assert.equal(r.fetched, 104);
  assert.equal(r.dir, join(cacheDir, "gadre-overtrain"));
  const t = await corpusAdapter("gadre-overtrain").load(r.dir);
  assert.equal(t.length, 832);
  // Cached bytes hash as the shared copy does.
  const rel = "exp_data/models/rpj-open_lm_7b-1.0.json";
  const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
  assert.equal(sha(join(r.dir, rel)), sha(sharedPath(`gadre-overtrain/${rel}`)));
  // A second run fetches nothing; no staging folder is left behind.
  const again = await downloadDataset("gadre-overtrain", { cacheDir, origin: srv.origin });
  assert.equal(again.fetched, 0);
  assert.deepEqual(readdirSync(cacheDir), ["gadre-overtrain"]);
});

test("URLs pin the commit and keep upstream names (a renamed file, a data/ prefix)", () => {
  const colpret = UPSTREAMS.find((u) => u.name === "hitchhiker-colpret");
  const llms =
    colpret && upstreamFiles(colpret).find((f) => f.path === "aggregated_eval/LLMs_0-shot.csv");
  assert.equal(
    llms?.url,
    "https://raw.githubusercontent.com/IBM/ColPret/16f23bbe054277ddc4afd07a972dd7cfbe3f48c3/aggregated_eval/LLMs%20-%200-shot.csv",
  );
  const epoch = UPSTREAMS.find((u) => u.name === "epoch-chinchilla");
  assert.equal(
    epoch && upstreamFiles(epoch)[0].url,
    "https://raw.githubusercontent.com/epoch-research/analyzing-chinchilla/92258837425e1b5f2851d624287f0120583a3d0e/data/svg_extracted_data.csv",
  );
});

test("a checksum mismatch is a one-line error and nothing is cached", { skip }, async () => {
  const cacheDir = freshCache();
  const bad = srv.urlPath("sldbench-github", "lr_scaling_law/dense_lr_bs_loss.csv");
  srv.faults.set(bad, "corrupt");
  try {
    await assert.rejects(
      downloadDataset("sldbench-github", { cacheDir, origin: srv.origin }),
      (e: unknown) =>
        e instanceof InputError &&
        /^sldbench-github\/lr_scaling_law\/dense_lr_bs_loss\.csv: sha256 mismatch: expected [0-9a-f]{12}…, got [0-9a-f]{12}…/.test(
          e.message,
        ) &&
        !e.message.includes("\n"),
    );
  } finally {
    srv.faults.delete(bad);
  }
  assert.deepEqual(readdirSync(cacheDir), []);
});

test("a 503 is retried; a 404 is not", { skip }, async () => {
  const cacheDir = freshCache();
  const csv = srv.urlPath("epoch-chinchilla", "svg_extracted_data.csv");
  srv.faults.set(csv, "503-once");
  srv.hits.delete(csv);
  try {
    const r = await downloadDataset("epoch-chinchilla", { cacheDir, origin: srv.origin });
    assert.equal(r.fetched, 1);
    assert.equal(srv.hits.get(csv), 2);
    srv.faults.set(csv, "404");
    srv.hits.delete(csv);
    await assert.rejects(
      downloadDataset("epoch-chinchilla", { cacheDir: freshCache(), origin: srv.origin }),
      (e: unknown) =>
        e instanceof InputError && /HTTP 404 from http:\/\/127\.0\.0\.1/.test(e.message),
    );
    assert.equal(srv.hits.get(csv), 1);
  } finally {
    srv.faults.delete(csv);
  }
});

test("a server that never answers times out after the bounded retries, caching nothing", {
  skip,
}, async () => {
  const cacheDir = freshCache();
  const csv = srv.urlPath("epoch-chinchilla", "svg_extracted_data.csv");
  srv.faults.set(csv, "hang");
  srv.hits.delete(csv);
  try {
    await assert.rejects(
      downloadDataset("epoch-chinchilla", {
        cacheDir,
        origin: srv.origin,
        timeoutMs: 150,
        retries: 1,
      }),
      (e: unknown) =>
        e instanceof InputError &&
        /download failed after 2 attempts \(timed out after 150 ms\)/.test(e.message),
    );
  } finally {
    srv.faults.delete(csv);
  }
  assert.equal(srv.hits.get(csv), 2);
  assert.equal(existsSync(join(cacheDir, "epoch-chinchilla")), false);
});

/** Runs a download against a fault and returns its one-line error, the time it took and the peak RSS growth. */
async function faulty(
  fault: "endless" | "gzip-bomb" | "trickle",
  o: { timeoutMs?: number; idleTimeoutMs?: number } = {},
) {
  const cacheDir = freshCache();
  const csv = srv.urlPath("epoch-chinchilla", "svg_extracted_data.csv");
  srv.faults.set(csv, fault);
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  try {
    let message = "";
    await assert.rejects(
      downloadDataset("epoch-chinchilla", { cacheDir, origin: srv.origin, retries: 0, ...o }),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        message = e.message;
        return !e.message.includes("\n");
      },
    );
    assert.equal(existsSync(join(cacheDir, "epoch-chinchilla")), false);
    assert.deepEqual(readdirSync(cacheDir), [], "nothing cached, no staging left");
    return { message, ms: performance.now() - t0, grewMb: (peak - rss0) / 2 ** 20 };
  } finally {
    clearInterval(sample);
    srv.faults.delete(csv);
  }
}

test("an endless body stops at the manifest's size (was 2.2 GB for a 23 KB file)", {
  skip,
}, async () => {
  const r = await faulty("endless");
  assert.match(
    r.message,
    /svg_extracted_data\.csv: size mismatch: expected \d+ bytes, got more than that from http:\/\/127\.0\.0\.1.*\(stopped reading\)/,
  );
  assert.ok(r.grewMb < 100, `memory grew ${r.grewMb} MB`);
});

test("a gzip bomb is cut off after the manifest's size of decompressed bytes (was 6.4 GB)", {
  skip,
}, async () => {
  const r = await faulty("gzip-bomb");
  assert.match(r.message, /size mismatch: expected \d+ bytes, got more than that/);
  assert.ok(r.grewMb < 100, `memory grew ${r.grewMb} MB`);
});

test("a trickling server meets the idle timeout or the deadline, not 122 s of waiting", {
  skip,
}, async () => {
  const idle = await faulty("trickle", { idleTimeoutMs: 30 });
  assert.match(idle.message, /download failed after 1 attempts \(no data for 30 ms\)/);
  const deadline = await faulty("trickle", { idleTimeoutMs: 1000, timeoutMs: 400 });
  assert.match(deadline.message, /download failed after 1 attempts \(timed out after 400 ms\)/);
  assert.ok(deadline.ms < 3000, `${deadline.ms} ms`);
});

test("the cache follows XDG_CACHE_HOME when it is absolute, else ~/.cache", () => {
  assert.equal(cacheRoot({ XDG_CACHE_HOME: "/var/cache/me" }), "/var/cache/me/scaleladder");
  assert.match(cacheRoot({ XDG_CACHE_HOME: "relative/dir" }), /\.cache\/scaleladder$/);
  assert.match(cacheRoot({}), /\.cache\/scaleladder$/);
});

test("an unknown dataset name is an InputError before any request", async () => {
  await assert.rejects(
    downloadDataset("pythia", { cacheDir: freshCache(), origin: "http://127.0.0.1:9" }),
    (e: unknown) => e instanceof InputError && /unknown dataset "pythia"/.test(e.message),
  );
});
