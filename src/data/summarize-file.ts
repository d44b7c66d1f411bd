import { openMemoryDb } from "./duckdb.js";
import { withRunFiles } from "./open-runs.js";
import { type LoadOptions, stageFiles } from "./stage.js";
import { type FamilyRuns, summarizeRuns } from "./summary.js";

/**
 * Summarises a file of runs without importing it: read, checked and filtered as `loadRuns` does,
 * then grouped by family and model inside DuckDB (nothing crosses into JavaScript row by row).
 * @throws InputError as {@link stageFiles}
 */
export async function summarizeFile(
  file: string | readonly string[],
  o: LoadOptions = {},
): Promise<{ families: FamilyRuns[]; warnings: string[] }> {
  const paths = typeof file === "string" ? [file] : file;
  return withRunFiles({ paths, manifest: o.manifest }, async (inputs) => {
    const db = await openMemoryDb();
    try {
      const staged = await stageFiles(db.conn, inputs, o);
      return { families: await summarizeRuns(db.conn, staged.table), warnings: staged.warnings };
    } finally {
      db.close();
    }
  });
}
