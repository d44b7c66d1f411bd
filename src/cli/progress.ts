import type { Progress } from "../analysis/types.js";
import type { Io } from "./io.js";

/**
 * Renders analysis progress: a one-line bar with rate and ETA, redrawn in place on a terminal;
 * one plain line per finished chunk otherwise (logs and CI). Progress goes to stderr so stdout
 * stays the result.
 */
export function progressReporter(
  io: Io,
  now: () => number = () => performance.now(),
): (p: Progress) => void {
  const start = now();
  let lastDraw = 0;
  return (p) => {
    const t = (now() - start) / 1000;
    const rate = p.doneCells / Math.max(t, 1e-9);
    const eta = rate > 0 ? (p.totalCells - p.doneCells) / rate : Number.NaN;
    if (io.isTTY) {
      if (now() - lastDraw < 100 && p.doneChunks < p.totalChunks) return;
      lastDraw = now();
      const width = 30;
      const filled = Math.round((width * p.doneCells) / Math.max(p.totalCells, 1));
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      io.err(
        `\r${bar} ${p.doneCells}/${p.totalCells} cells  ${rate.toFixed(0)}/s  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : "?"}   `,
      );
      if (p.doneChunks === p.totalChunks) io.err("\n");
    } else {
      io.err(
        `analyze: ${p.doneChunks}/${p.totalChunks} chunks, ${p.doneCells}/${p.totalCells} cells, ${t.toFixed(1)}s, ${p.chunk}\n`,
      );
    }
  };
}
