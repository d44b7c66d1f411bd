import type { Io } from "./io.js";

/** A subcommand: parses its own flags, does its work, and returns an exit code. */
export interface Command {
  readonly summary: string;
  run(argv: string[], io: Io): Promise<number>;
}
