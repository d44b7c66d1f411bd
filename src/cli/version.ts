import { readFileSync } from "node:fs";

/** The package's version, read from package.json (from build/src/cli/ it is three folders up). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}
