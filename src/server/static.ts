import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The page's own files (HTML, JS, CSS), shipped in the package's `web/` folder. */
export const WEB_DIR = fileURLToPath(new URL("../../../web/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

const require = createRequire(import.meta.url);

/** vega-interpreter comes with vega-embed (its dependency): resolve it from there. */
function vendorPath(pkg: string, file: string): string {
  const from = pkg === "vega-interpreter" ? createRequire(require.resolve("vega-embed")) : require;
  return join(dirname(from.resolve(pkg)), file);
}

/**
 * Files the server sends, by URL path: the page's, and the browser builds of vega, vega-lite,
 * vega-embed and vega's CSP-safe expression interpreter, so the page works offline. Nothing else
 * on disk can be named by a URL.
 */
const FILES: Record<string, () => string> = {
  "/": () => join(WEB_DIR, "index.html"),
  "/app.js": () => join(WEB_DIR, "app.js"),
  "/style.css": () => join(WEB_DIR, "style.css"),
  "/vendor/vega.min.js": () => vendorPath("vega", "vega.min.js"),
  "/vendor/vega-lite.min.js": () => vendorPath("vega-lite", "vega-lite.min.js"),
  "/vendor/vega-embed.min.js": () => vendorPath("vega-embed", "vega-embed.min.js"),
  "/vendor/vega-interpreter.min.js": () =>
    vendorPath("vega-interpreter", "vega-interpreter.min.js"),
};

const cache = new Map<string, { body: Buffer; type: string }>();

/** The file at a URL path and its content type, read once; undefined for any other path. */
export function staticFile(path: string): { body: Buffer; type: string } | undefined {
  const where = FILES[path];
  if (!where) return undefined;
  let hit = cache.get(path);
  if (!hit) {
    const file = where();
    hit = {
      body: readFileSync(file),
      type: TYPES[/\.[a-z]+$/.exec(file)?.[0] ?? ""] ?? "application/octet-stream",
    };
    cache.set(path, hit);
  }
  return hit;
}
