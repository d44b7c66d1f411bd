import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { planChunks } from "../../src/analysis/experiments.js";
import { runChunksParallel } from "../../src/analysis/parallel.js";
import { summarizeAnalysis } from "../../src/analysis/summary.js";
import type { ResultRow } from "../../src/analysis/types.js";
import { analysisText } from "../../src/report/analysis-tables.js";
import { runCli } from "../fixtures/cli.js";
import { ladderTable } from "../fixtures/ladder-table.js";
import { matchSnapshot, sig4Json, sig4Text } from "../fixtures/snapshot.js";
import { syntheticLadder, TRUE_PARAMS } from "../fixtures/synthetic.js";
import { tempDir } from "../fixtures/temp.js";

/**
 * What people read, pinned: the text and JSON of fit, forecast, plan and the analysis summary,
 * numbers at 4 significant figures so that a last-bit change in an optimizer does not churn them
 * while any change a reader would see does.
 */

async function cli(argv: string[]): Promise<string> {
  const r = await runCli(argv);
  if (r.code !== 0) throw new Error(`scaleladder ${argv.join(" ")}: ${r.err}`);
  return r.out;
}

/** A noisy synthetic ladder (Hoffmann et al.'s law, 1% noise) as a CSV file. */
function ladderCsv(): string {
  const d = syntheticLadder("chinchilla", TRUE_PARAMS.chinchilla, { sigma: 0.01, seed: 4 });
  const lines = ["model,params,tokens,loss"];
  for (let i = 0; i < d.loss.length; i++)
    lines.push(`m${d.run?.[i]},${d.params[i]},${d.tokens[i]},${d.loss[i]}`);
  const path = join(tempDir(), "ladder.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

test("fit: text and JSON", async () => {
  const file = ladderCsv();
  const args = [
    "fit",
    file,
    "--bootstrap",
    "20",
    "--seed",
    "1",
    "--workers",
    "1",
    "--min-tokens",
    "0",
  ];
  // The file's temporary path is not what the snapshot is about.
  const text = (await cli(args)).replaceAll(file, "ladder.csv");
  matchSnapshot("fit.txt", sig4Text(text));
  const json = JSON.parse(
    (await cli([...args, "--json", "--no-timing"])).replaceAll(file, "ladder.csv"),
  );
  matchSnapshot("fit.json.txt", sig4Json(json));
});

test("forecast (evaluate): text and JSON", async () => {
  matchSnapshot("forecast.txt", sig4Text(await cli(["evaluate", "--builtin"])));
  const json = JSON.parse(await cli(["evaluate", "--builtin", "--json", "--no-timing"]));
  matchSnapshot("forecast.json.txt", sig4Json(json));
});

test("plan: text and JSON", async () => {
  const args = ["plan", "--preset", "hoffmann", "--budget", "5.76e23", "--compare"];
  matchSnapshot("plan.txt", sig4Text(await cli(args)));
  matchSnapshot("plan.json.txt", sig4Json(JSON.parse(await cli([...args, "--json"]))));
});

test("analysis summary: text and JSON", async () => {
  const t = ladderTable();
  const chunks = planChunks(t, { experiments: ["grid", "baselines"], protocols: ["default"] });
  const rows: ResultRow[] = [];
  await runChunksParallel(t, chunks, { workers: 1, onChunk: (_c, rs) => rows.push(...rs) });
  // Rows in a fixed order whatever order the chunks finished in; fit times are not content.
  rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const s = summarizeAnalysis(rows.map((r) => ({ ...r, fitMs: 0 })));
  const meta = { seconds: 0, fitsPerSecond: 0, out: "out", resumed: 0 };
  matchSnapshot("analysis.txt", sig4Text(analysisText(s, meta)));
  matchSnapshot("analysis.json.txt", sig4Json(s));
});
