import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { RunTable } from "../data/types.js";
import { type AnalysisFolder, readAnalysisFolder } from "./guide.js";
import { HttpError } from "./http.js";

/** A file the page uploaded, kept under the session's temporary folder by its own name. */
export interface Upload {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

/**
 * What one server process holds between requests: uploads in a temporary folder (removed on
 * close) and the run tables loaded from them or the store, so a refit reads nothing again.
 */
export class Session {
  readonly dir: string;
  private readonly uploads = new Map<string, Upload>();
  private readonly tables = new Map<string, RunTable>();

  private guide: AnalysisFolder | undefined;

  constructor(
    readonly db: string | undefined,
    /** The folder of `scaleladder analyze --out DIR` the Guide draws from, if given. */
    readonly analysisDir?: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "scaleladder-serve-"));
  }

  /** The analysis folder's tables, read on first use; undefined without one. */
  analysis(): AnalysisFolder | undefined {
    if (this.analysisDir === undefined) return undefined;
    this.guide ??= readAnalysisFolder(this.analysisDir);
    return this.guide;
  }

  /** A fresh folder for an upload named `name` (only its last path part is kept). */
  newUpload(name: string): { id: string; path: string; name: string } {
    const id = randomBytes(8).toString("hex");
    const clean = basename(name.replace(/\\/g, "/")).replace(/[^\w.\- ]/g, "_") || "upload";
    mkdirSync(join(this.dir, id));
    return { id, name: clean, path: join(this.dir, id, clean) };
  }

  addUpload(u: Upload): void {
    this.uploads.set(u.id, u);
  }

  upload(id: unknown): Upload {
    const u = typeof id === "string" ? this.uploads.get(id) : undefined;
    if (!u)
      throw new HttpError(
        404,
        `no upload "${String(id)}" (the server may have restarted); upload the file again`,
      );
    return u;
  }

  addTable(t: RunTable): string {
    const id = randomBytes(8).toString("hex");
    this.tables.set(id, t);
    return id;
  }

  table(id: unknown): RunTable {
    const t = typeof id === "string" ? this.tables.get(id) : undefined;
    if (!t)
      throw new HttpError(
        404,
        `no dataset "${String(id)}" (the server may have restarted); load the data again`,
      );
    return t;
  }

  /** Messages name an upload by the name the user gave it, not its temporary path. */
  scrub(message: string): string {
    return message
      .split(`${this.dir}/`)
      .map((p, i) => (i === 0 ? p : p.replace(/^[0-9a-f]{16}\//, "")))
      .join("");
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
