import assert from "node:assert/strict";
import { test } from "node:test";
import {
  inFlagText,
  LOAD_OPTION_FLAGS,
  warningLine,
  withFlagWarnings,
} from "../../src/cli/option-flags.js";

test("each backquoted name the library uses in a message becomes the CLI's flag", () => {
  assert.equal(
    inFlagText("point `root` at a copy, or the mirror `origin`; `minTokens`, `fix`, `setFamily`"),
    "point --from at a copy, or the mirror --origin; --min-tokens, --fix, --family",
  );
  // `family` is the family column; the import's family name is `setFamily`.
  assert.equal(inFlagText("`family` or `setFamily`"), "--family-col or --family");
  assert.equal(inFlagText("`unknown` and `two words` stay"), "`unknown` and `two words` stay");
});

test("every mapped name is written as a --flag", () => {
  for (const [name, flag] of Object.entries(LOAD_OPTION_FLAGS))
    assert.match(flag, /^--[a-z][a-z-]*$/, `${name} → ${flag}`);
});

test("warnings are printed in flags, one line each", () => {
  assert.equal(
    warningLine("a.csv: skipped 2 rows with no loss (`strict` refuses them)"),
    "scaleladder: warning: a.csv: skipped 2 rows with no loss (--strict refuses them)\n",
  );
  const v = { verdict: "v", warnings: ["the guide drops them (`minTokens`)"] };
  assert.deepEqual(withFlagWarnings(v), {
    verdict: "v",
    warnings: ["the guide drops them (--min-tokens)"],
  });
  assert.deepEqual(
    v.warnings,
    ["the guide drops them (`minTokens`)"],
    "the input is left as it was",
  );
});
