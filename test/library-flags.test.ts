import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { LOAD_OPTION_FLAGS } from "../src/cli/option-flags.js";
import { repoRoot } from "./fixtures/shared.js";

/**
 * Only src/cli (and src/server, which serves the CLI's messages) speaks of `--flags`: the library
 * names its options in backquotes and the CLI maps them back (src/cli/option-flags.ts), the page to
 * its controls (src/server/page-terms.ts). This reads every string and template literal in the
 * library folders (errors, hints, warnings, checks, report text) and finds `--name` in them.
 */
const LIBRARY = ["math", "data", "laws", "fit", "estimate", "plan", "analysis", "report"];

/** Strings that name a flag on purpose, by file and count. */
const ALLOWED: Record<string, number> = {
  // The flags of the upstream training script (open_lm), read from Gadre et al.'s run files.
  "src/data/corpus/gadre.ts": 2,
  // "expected the object of `scaleladder fit --json`": the file is that command's output.
  "src/plan/from-fit.ts": 2,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** The text of every string literal and every literal part of a template in `source`. */
function literals(source: string): string[] {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      out.push(node.head.text);
      for (const span of node.templateSpans) out.push(span.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

test("no string in the library names a --flag (except the listed ones)", () => {
  const found: Record<string, number> = {};
  for (const dir of LIBRARY)
    for (const file of sourceFiles(resolve(repoRoot, "src", dir))) {
      const n = literals(readFileSync(file, "utf8")).filter((s) => /--[a-z]/.test(s)).length;
      if (n > 0) found[relative(repoRoot, file)] = n;
    }
  assert.deepEqual(found, ALLOWED);
});

test("every option the library names in backquotes has a flag the CLI writes for it", () => {
  // ColPret's notes quote the upstream's column names (`perf`, `ppl`), not options.
  const quoted = new Set(["perf", "ppl"]);
  const unmapped = new Set<string>();
  for (const dir of LIBRARY)
    for (const file of sourceFiles(resolve(repoRoot, "src", dir)))
      for (const s of literals(readFileSync(file, "utf8")))
        for (const m of s.matchAll(/`([A-Za-z]+)`/g))
          if (!(m[1] in LOAD_OPTION_FLAGS) && !quoted.has(m[1])) unmapped.add(m[1]);
  assert.deepEqual([...unmapped], []);
});

test("the check finds a flag in strings and templates, not in comments", () => {
  const found = literals(
    `// --in-a-comment\nthrow new InputError(\`bad \${x} (--strict)\`, { field: "--where" });\nf("ok");`,
  );
  assert.deepEqual(
    found.filter((s) => /--[a-z]/.test(s)),
    [" (--strict)", "--where"],
  );
});
