import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { GITHUB_RAW, type UpstreamFile, upstream, upstreamFiles } from "./corpus/upstream.js";

/** Options of {@link downloadDataset}. */
export interface DownloadOptions {
  /** Folder holding one folder per dataset; defaults to {@link corpusCacheDir}. */
  cacheDir?: string;
  /**
   * Replaces `https://raw.githubusercontent.com` in every URL; defaults to
   * $SCALELADDER_CORPUS_ORIGIN, else GitHub. Meant for mirrors and for tests on a loopback server.
   */
  origin?: string;
  /** Deadline of one request in milliseconds, body included; defaults to 120,000. */
  timeoutMs?: number;
  /** Longest wait for the next bytes of a response in milliseconds; defaults to 20,000. */
  idleTimeoutMs?: number;
  /** Extra attempts after a network error, timeout, HTTP 429 or 5xx; defaults to 3. */
  retries?: number;
  /** Files fetched at once; defaults to 8. */
  concurrency?: number;
  /** Called after each file is verified (fetched or already cached). */
  onProgress?: (p: {
    dataset: string;
    path: string;
    done: number;
    total: number;
    cached: boolean;
  }) => void;
}

/** What one dataset download did. */
export interface DownloadResult {
  readonly dataset: string;
  /** The dataset's folder in the cache, ready for its corpus adapter. */
  readonly dir: string;
  readonly files: number;
  /** Files fetched now; the rest were already cached with the right checksum. */
  readonly fetched: number;
  readonly bytes: number;
}

/**
 * The user cache folder: $XDG_CACHE_HOME/scaleladder, or ~/.cache/scaleladder when the variable is
 * unset or relative (the XDG Base Directory spec says to ignore relative paths).
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"), "scaleladder");
}

/** Where downloaded corpus datasets live: `<cacheRoot>/corpus/<dataset>/…`. */
export function corpusCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), "corpus");
}

/**
 * Where corpus datasets are read from: `from` if given, else $SCALELADDER_SHARED_DATA, else
 * ../shared/data (relative to the working directory) when it exists, else the download cache.
 */
export function resolveCorpusRoot(from?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (from) return resolve(from);
  if (env.SCALELADDER_SHARED_DATA) return resolve(env.SCALELADDER_SHARED_DATA);
  const shared = resolve("../shared/data");
  return existsSync(shared) ? shared : corpusCacheDir(env);
}

/**
 * Downloads one corpus dataset from its upstream repository at the pinned commit, verifies every
 * file's size and sha256 against the manifest in src/data/corpus/checksums, and caches it.
 * Files go to a staging folder first and are renamed into the cache only when all of them verified,
 * so a failed download leaves the cache as it was. Files already cached with the right checksum are
 * not fetched again.
 * @throws InputError (one line) for an unknown dataset, a checksum or size mismatch, an HTTP error,
 *   or a network failure that outlasts the retries
 */
export async function downloadDataset(
  name: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const u = upstream(name);
  const origin = options.origin ?? process.env.SCALELADDER_CORPUS_ORIGIN ?? GITHUB_RAW;
  const root = options.cacheDir ?? corpusCacheDir();
  const dir = join(root, name);
  const files = upstreamFiles(u, origin);
  const staging = join(root, `.staging-${name}-${randomBytes(6).toString("hex")}`);
  const fresh: UpstreamFile[] = [];
  let done = 0;
  let bytes = 0;
  const progress = (f: UpstreamFile, cached: boolean) =>
    options.onProgress?.({
      dataset: name,
      path: f.path,
      done: ++done,
      total: files.length,
      cached,
    });
  try {
    await pool(files, options.concurrency ?? 8, async (f) => {
      if (await isCached(join(dir, f.path), f)) return progress(f, true);
      const staged = join(staging, f.path);
      await mkdir(dirname(staged), { recursive: true });
      await fetchVerified(f, staged, {
        timeoutMs: options.timeoutMs ?? 120_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 20_000,
        retries: options.retries ?? 3,
      });
      fresh.push(f);
      bytes += f.size;
      progress(f, false);
    });
    for (const f of fresh) {
      await mkdir(dirname(join(dir, f.path)), { recursive: true });
      await rename(join(staging, f.path), join(dir, f.path));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { dataset: name, dir, files: files.length, fetched: fresh.length, bytes };
}

/** Whether a cached file exists with the manifest's size and sha256 (hashed streaming). */
async function isCached(path: string, f: UpstreamFile): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  if (!st || st.size !== f.size) return false;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex") === f.sha256;
}

/** A failure that retrying cannot fix (HTTP 4xx, too many bytes, checksum mismatch). */
class Permanent extends Error {}

/** A response that stopped sending. */
class Idle extends Error {}

/**
 * Fetches one file into `dest` with bounded retries (exponential back-off from 250 ms), streaming:
 * the sha256 is computed as bytes arrive, a body longer than the manifest's size (an endless body,
 * a gzip bomb: bytes are counted after decompression) stops at once, a response silent for
 * `idleTimeoutMs` is dropped, and each attempt has a `timeoutMs` deadline. Memory stays at one
 * chunk whatever the server does. Mismatches are not retried: the pinned bytes never change, so a
 * mismatch means a wrong mirror or tampering, which the user should see at once.
 */
async function fetchVerified(
  f: UpstreamFile,
  dest: string,
  o: { timeoutMs: number; idleTimeoutMs: number; retries: number },
): Promise<void> {
  const where = { file: `${f.dataset}/${f.path}` };
  let last = "";
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 1)));
    const idle = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const poke = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(new Idle()), o.idleTimeoutMs);
    };
    try {
      poke();
      const res = await fetch(f.url, {
        signal: AbortSignal.any([AbortSignal.timeout(o.timeoutMs), idle.signal]),
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        const msg = `HTTP ${res.status} from ${f.url}`;
        if (res.status !== 429 && res.status < 500) throw new Permanent(msg);
        last = msg;
        continue;
      }
      const hash = createHash("sha256");
      let got = 0;
      const out = await open(dest, "w");
      try {
        for await (const chunk of res.body ?? []) {
          poke();
          got += chunk.length;
          if (got > f.size) {
            await res.body?.cancel().catch(() => undefined);
            throw new Permanent(
              `size mismatch: expected ${f.size} bytes, got more than that from ${f.url} (stopped reading)`,
            );
          }
          hash.update(chunk);
          await out.write(chunk);
        }
      } finally {
        await out.close();
      }
      if (got !== f.size) {
        throw new Permanent(`size mismatch: expected ${f.size} bytes, got ${got} from ${f.url}`);
      }
      const sha = hash.digest("hex");
      if (sha !== f.sha256) {
        throw new Permanent(
          `sha256 mismatch: expected ${f.sha256.slice(0, 12)}…, got ${sha.slice(0, 12)}… from ${f.url}`,
        );
      }
      return;
    } catch (e) {
      if (e instanceof Permanent) {
        throw new InputError(e.message, {
          ...where,
          hint: "nothing was cached; the mirror or `origin` may serve other files than the pinned commit",
        });
      }
      const err = e as Error;
      last = idle.signal.aborted
        ? `no data for ${o.idleTimeoutMs} ms`
        : err.name === "TimeoutError"
          ? `timed out after ${o.timeoutMs} ms`
          : ((err.cause as Error)?.message ?? err.message);
    } finally {
      clearTimeout(timer);
    }
  }
  throw new InputError(`download failed after ${o.retries + 1} attempts (${last})`, {
    ...where,
    hint: "check the network connection and run the command again; nothing was cached",
  });
}

/**
 * Runs `work` over `items` with at most `limit` in flight. After a failure no new item starts; the
 * ones in flight are awaited (so nothing writes after the caller cleans up), then the first error is
 * thrown.
 */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let error: unknown;
  const worker = async () => {
    while (error === undefined && next < items.length) {
      const item = items[next++];
      await work(item).catch((e) => {
        error ??= e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (error !== undefined) throw error;
}
