import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";
import { makeDirs, writeFileAtomic as writeAtomic } from "../data/atomic.js";
import { InputError } from "../errors.js";

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress bars, colours). */
  readonly isTTY: boolean;
}

/** The process's own streams. */
export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
};

/**
 * Makes writing to a closed pipe (`scaleladder laws | head -1`) end the process quietly with 0,
 * as `cat` does, instead of an unhandled EPIPE error with a stack trace.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

/**
 * Writes a file atomically (`data/atomic.ts`); a file-system failure becomes a one-line input
 * error naming the path.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  try {
    writeAtomic(path, data);
  } catch (e) {
    throw writeError(e, path);
  }
}

/** A file-system failure while writing output, as a one-line InputError (exit 2). */
export function writeError(e: unknown, path: string, flag = "--out"): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    ENOTDIR: "a file stands where a folder is needed",
    ENOENT: "a folder on the way cannot be made",
    EEXIST: "a file stands where a folder is needed",
    EISDIR: "is a folder, not a file",
  };
  if (!code || !why[code]) return e;
  return new InputError(`cannot write: ${why[code]}`, {
    file: path,
    hint:
      code === "ENOSPC" || code === "EDQUOT"
        ? `free space, or give ${flag} on another disk; nothing was written there`
        : `give ${flag} a writable path`,
  });
}

/**
 * Checks before any work that output can go to `path`: a folder (`kind: "dir"`, created if
 * missing) or a file whose folder is writable and which is not itself a folder.
 * @throws InputError naming the flag
 */
export function checkOutput(path: string, kind: "file" | "dir", flag = "--out"): void {
  const fail = (reason: string) => {
    throw new InputError(reason, {
      file: path,
      field: flag,
      hint: `give ${flag} a writable ${kind === "dir" ? "folder" : "file path"}`,
    });
  };
  const dir = kind === "dir" ? path : dirname(path);
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st && kind === "dir" && !st.isDirectory())
      fail("is a file, but a folder is needed for the output");
    if (st && kind === "file" && st.isDirectory())
      fail("is a folder, but a file is needed for the output");
    makeDirs(dir);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw writeError(e, dir, flag);
  }
}

/** JSON with full double precision and a stable two-space layout (same input → same bytes). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v), 2)}\n`;
}
