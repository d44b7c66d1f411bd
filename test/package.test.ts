import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "./fixtures/shared.js";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

test("the packed tarball installs into an empty project, imports, reads a file and runs its binary", () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  // A clean clone has no build/: packing must build it first.
  assert.equal(manifest.scripts.prepack, "npm run build");
  const dir = mkdtempSync(join(tmpdir(), "scaleladder-pack-"));
  // `npm test` has just built; --ignore-scripts keeps this test from rebuilding under other tests.
  const packed = JSON.parse(
    execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: repoRoot,
      encoding: "utf8",
    }),
  )[0];
  const files: string[] = packed.files.map((f: { path: string }) => f.path);
  assert.ok(files.includes("build/src/index.js"));
  assert.ok(files.includes("bin/scaleladder.js"));
  assert.ok(files.includes("web/app.js") && files.includes("web/index.html"), "the page ships");
  assert.ok(!files.some((f) => f.startsWith("build/test/") || f.startsWith("src/")));

  const project = join(dir, "project");
  execFileSync("mkdir", [project]);
  writeFileSync(
    join(project, "package.json"),
    '{"name":"probe","version":"1.0.0","type":"module"}',
  );
  execFileSync(
    npm,
    ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, packed.filename)],
    { cwd: project, encoding: "utf8", stdio: "pipe" },
  );
  writeFileSync(join(project, "runs.csv"), "params,tokens,loss\n1e8,2e9,3.3\n2e8,2e9,3.1\n");
  writeFileSync(
    join(project, "probe.js"),
    `import { loadRuns, parseSize } from "scaleladder";
const t = await loadRuns("runs.csv");
console.log(JSON.stringify({ rows: t.length, size: parseSize("1.3B") }));`,
  );
  const out = execFileSync(process.execPath, ["probe.js"], { cwd: project, encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), { rows: 2, size: 1.3e9 });
  const version = execFileSync(join(project, "node_modules/.bin/scaleladder"), ["--version"], {
    encoding: "utf8",
  });
  assert.equal(version, `scaleladder ${manifest.version}\n`);
});
