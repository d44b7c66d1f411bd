import assert from "node:assert/strict";
import { test } from "node:test";
import { inPageTerms } from "../../src/server/page-terms.js";

test("backquoted options become the page's control labels, else their plain names", () => {
  assert.equal(
    inPageTerms('the guide drops them (`minTokens`); map it with `params` "N"'),
    'the guide drops them ("Drop checkpoints before D"); map it with params "N"',
  );
  assert.equal(inPageTerms("give `db` a store"), "give the server's --db a store");
  assert.equal(inPageTerms("no names here, `a b` stays"), "no names here, `a b` stays");
});
