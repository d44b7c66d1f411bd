import { readdirSync, statSync } from "node:fs";
import { InputError } from "../errors.js";

/*
 * The paths a user gave, expanded into files. Kept apart from input.ts so that reading one plain file
 * does not load what standard input, pipes and compressed files need (streams, zlib).
 */

/** Characters that make a path a pattern. */
const GLOB = /[*?[]/;

/**
 * Expands the paths a user gave into files, in our code rather than DuckDB's: `-` stays standard
 * input, a path that exists is always that one file (even `runs[1].csv`), and only a path that does
 * not exist and holds `*`, `?` or `[…]` is matched, per path segment, sorted by name.
 * @throws InputError when a pattern matches nothing or a path does not exist
 */
export function expandPaths(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === "-" || exists(a) || !GLOB.test(a)) {
      out.push(a);
      continue;
    }
    const found = matchGlob(a);
    if (found.length === 0) {
      throw new InputError("no file matches this pattern", {
        file: a,
        hint: "check the pattern; quote it so the shell leaves it to scaleladder",
      });
    }
    out.push(...found);
  }
  if (out.filter((p) => p === "-").length > 1) {
    throw new InputError("standard input (-) given twice", { field: "FILE", hint: "give - once" });
  }
  return out;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Files matching a pattern whose segments may hold `*`, `?` and `[…]` (no `**`). */
export function matchGlob(pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const parts = pattern.split("/").filter((p, i) => p !== "" || i === 0);
  let dirs = [absolute ? "/" : ""];
  for (let i = absolute ? 1 : 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const d of dirs) {
      if (!GLOB.test(part)) {
        next.push(d + part + (last ? "" : "/"));
        continue;
      }
      const re = segmentRegex(part);
      let names: string[];
      try {
        names = readdirSync(d || ".");
      } catch {
        continue;
      }
      for (const n of names.sort()) {
        if (n.startsWith(".") && !part.startsWith(".")) continue;
        if (re.test(n)) next.push(d + n + (last ? "" : "/"));
      }
    }
    dirs = next;
  }
  return dirs.filter((p) => {
    try {
      return !statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
}

function segmentRegex(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let body = seg.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
