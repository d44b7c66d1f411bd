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

export { writeFileAtomic } from "../data/atomic.js";

/** JSON with full double precision and a stable two-space layout (same input → same bytes). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v), 2)}\n`;
}
