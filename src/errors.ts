/**
 * A problem with what the user gave us (a file, a flag, an option), as opposed to a bug. The CLI
 * prints it as one line, `file:line:column: reason; hint: …`, and exits with code 2.
 */
export class InputError extends Error {
  readonly reason: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number | string;
  readonly field?: string;
  readonly hint?: string;

  constructor(reason: string, where: Where = {}) {
    super(formatInputError(reason, where));
    this.name = "InputError";
    this.reason = reason;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.field = where.field;
    this.hint = where.hint;
  }
}

/** Where a problem is: a place in a file, or the flag or option (`field`) that holds it. */
export interface Where {
  file?: string;
  line?: number;
  column?: number | string;
  field?: string;
  hint?: string;
}

function formatInputError(reason: string, w: Where): string {
  const parts = [w.file, w.line, w.column].filter((p) => p !== undefined && p !== "");
  if (parts.length === 0 && w.field) parts.push(w.field);
  const loc = parts.join(":");
  return `${loc ? `${loc}: ` : ""}${reason}${w.hint ? `; hint: ${w.hint}` : ""}`;
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * Several problems with one input, reported together (up to a limit) so a user can fix a file in
 * one pass. Prints as a heading line, then one `file:line:column: reason; hint: …` line per problem.
 * Still an {@link InputError}, so the CLI exits 2.
 */
export class InputErrors extends InputError {
  readonly problems: readonly InputError[];

  /** @param more how many further problems were found but not listed */
  constructor(problems: readonly InputError[], more = 0) {
    const first = problems[0];
    super(first?.reason ?? "invalid input", first ?? {});
    this.name = "InputErrors";
    this.problems = problems;
    const head = `${problems.length}${more > 0 ? "+" : ""} problems in ${first?.file ?? "input"}${more > 0 ? ` (showing the first ${problems.length})` : ""}`;
    this.message = [head, ...problems.map((p) => p.message)].join("\n");
  }
}

/** Throws nothing for no problems, the problem itself for one, and {@link InputErrors} for more. */
export function throwProblems(problems: readonly InputError[], more = 0): void {
  if (problems.length === 1 && more === 0) throw problems[0];
  if (problems.length > 0) throw new InputErrors(problems, more);
}

/** "1 run", "2 runs": a count with its noun in the number the count takes, for messages. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
