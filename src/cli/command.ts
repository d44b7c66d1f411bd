import type { Flags } from "./flags.js";
import type { Io } from "./io.js";

/** A subcommand: parses its own flags, does its work, and returns an exit code (its summary is in main.ts). */
export interface Command {
  /** Every flag it accepts (besides --help and --debug); its help describes each of them. */
  readonly flags: Flags;
  run(argv: string[], io: Io): Promise<number>;
}
