import assert from "node:assert/strict";
import { test } from "node:test";
import { main } from "../../src/cli/main.js";
import { parseBytes } from "../../src/cli/serve.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

test("--max-upload sizes: K, M, G are powers of 1024", () => {
  assert.equal(parseBytes("500MB"), 500 * 1024 ** 2);
  assert.equal(parseBytes("2GB"), 2 * 1024 ** 3);
  assert.equal(parseBytes("1.5k"), 1536);
  assert.equal(parseBytes("1024"), 1024);
  assert.throws(() => parseBytes("lots"), /--max-upload must be a size such as 500MB, got "lots"/);
});

test("serve --help, and bad flags exit 2 with one line", async () => {
  const h = capture();
  assert.equal(await main(["serve", "--help"], h.io as never), 0);
  assert.match(h.out.join(""), /usage: scaleladder serve/);
  const b = capture();
  assert.equal(await main(["serve", "--max-upload", "lots"], b.io as never), 2);
  assert.match(b.err.join(""), /^scaleladder: --max-upload: --max-upload must be a size/);
  const p = capture();
  assert.equal(await main(["serve", "--port", "70000"], p.io as never), 2);
  assert.match(p.err.join(""), /--port must be at most 65535/);
});
