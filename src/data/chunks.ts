import { closeSync, openSync, readSync } from "node:fs";

/** Default bytes read at a time by the streaming scanners. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Calls `visit` with successive chunks of a file (the same buffer, refilled), so scanners see every
 * byte without the file ever being one string: files past V8's 512 MiB string limit scan alike.
 * `visit` returns false to stop early.
 */
export function forEachChunk(
  path: string,
  visit: (buf: Buffer, length: number) => unknown,
  chunkBytes = CHUNK_BYTES,
): void {
  const buf = Buffer.alloc(chunkBytes);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0 || visit(buf, n) === false) return;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Tracks 1-based line and column (in characters: UTF-8 continuation bytes do not count) as
 * bytes go by.
 */
export class Position {
  line = 1;
  column = 0;

  /** Advances past byte `b`; the column is then that of `b`. */
  step(b: number): void {
    if (b === 10) {
      this.line++;
      this.column = 0;
    } else if ((b & 0xc0) !== 0x80) this.column++;
  }
}
