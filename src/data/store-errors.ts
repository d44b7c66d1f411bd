import { InputError } from "../errors.js";
import { duckReason } from "./duckdb.js";

/** What the store was doing when DuckDB failed; decides what the message promises. */
export type StoreStage = "open" | "read" | "commit" | "checkpoint" | "close";

const FULL = /no space left|disk is full|ENOSPC|out of disk/i;
const LOCKED = /could not set lock|conflicting lock/i;
const DAMAGED =
  /corrupt|checksum|not a valid duckdb|invalid database|serializ|unexpected end|failed to read|block .* (not|out of)/i;
const DENIED = /permission denied|read-only file system|EACCES|EROFS/i;

/**
 * Turns a DuckDB failure on the store file into a one-line InputError that says exactly what was
 * kept: a failed commit kept nothing, a failed checkpoint kept the committed rows in the
 * write-ahead log. Failures it does not recognise come back unchanged (internal errors, exit 1).
 */
export function storeError(e: unknown, path: string, stage: StoreStage): unknown {
  if (e instanceof InputError) return e;
  const reason = duckReason(e);
  const at = { file: path };
  if (FULL.test(reason)) {
    if (stage === "commit")
      return new InputError("nothing was imported: no space left on the device", {
        ...at,
        hint: "the store is as it was; free space on that disk, or import into a store elsewhere (`db`)",
      });
    if (stage === "checkpoint")
      return new InputError(
        `the rows were imported and committed to the store's log (${path}.wal), but folding it into the file failed: no space left on the device`,
        {
          ...at,
          hint: "nothing is lost and reads work; free space on that disk and the next import finishes the job",
        },
      );
    return new InputError(
      `cannot ${stage === "read" ? "read" : "open"} the store: no space left on the device`,
      {
        ...at,
        hint: "free space on that disk (the store needs room to replay its log)",
      },
    );
  }
  if (LOCKED.test(reason))
    return new InputError("the store is in use by another process", {
      ...at,
      hint: "another scaleladder process is using it; wait for it to finish",
    });
  if (DAMAGED.test(reason))
    return new InputError(`the store is damaged or not a scaleladder store: ${reason}`, {
      ...at,
      hint: `${stage === "commit" ? "nothing was imported; " : ""}restore it from a backup, or import into a new \`db\` path`,
    });
  if (DENIED.test(reason))
    return new InputError(
      `cannot ${stage === "read" || stage === "open" ? "open" : "write"} the store: ${reason}`,
      {
        ...at,
        hint: "check the path and its permissions",
      },
    );
  if (stage === "open")
    return new InputError(`cannot open store: ${reason}`, {
      ...at,
      hint: "check the path and permissions",
    });
  return e;
}
