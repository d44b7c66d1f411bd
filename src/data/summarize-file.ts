import { openMemoryDb } from "./duckdb.js";
import { type LoadOptions, stageFile } from "./stage.js";
import { type FamilyRuns, summarizeRuns } from "./summary.js";

/**
 * Summarises a file of runs without importing it: read, checked and filtered as `loadRuns` does,
 * then grouped by family and model inside DuckDB (nothing crosses into JavaScript row by row).
 * @throws InputError as {@link stageFile}
 */
export async function summarizeFile(
  file: string,
  o: LoadOptions = {},
): Promise<{ families: FamilyRuns[]; warnings: string[] }> {
  const db = await openMemoryDb();
  try {
    const staged = await stageFile(db.conn, file, o);
    return { families: await summarizeRuns(db.conn, staged.table), warnings: staged.warnings };
  } finally {
    db.close();
  }
}
