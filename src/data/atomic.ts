import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Output is written to a temporary name beside the target, then renamed over it, so a reader never
 * sees half a file and an interrupted run leaves the old one intact. `write` fills the temporary
 * path (by any means: a buffer, DuckDB's COPY); on failure it is removed and the error rethrown.
 */
export async function replaceAtomically(
  path: string,
  write: (tmp: string) => void | Promise<void>,
): Promise<void> {
  const tmp = tempBeside(path);
  try {
    await write(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes a file atomically (see {@link replaceAtomically}), synchronously. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempBeside(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function tempBeside(path: string): string {
  makeDirs(dirname(path));
  // The process id keeps processes apart and 48 random bits the writers of one process (threads
  // too); not node:crypto, whose loading costs a small command ~10 ms.
  const bits = Math.floor(Math.random() * 2 ** 48);
  return `${path}.${process.pid}-${bits.toString(16).padStart(12, "0")}.tmp`;
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdirSync spins forever under /proc; this fails
 * with the first level that cannot be made.
 */
export function makeDirs(dir: string): void {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st?.isDirectory()) return;
  if (st) throw Object.assign(new Error(`not a directory: ${dir}`), { code: "ENOTDIR" });
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}
