import { InputError, InputErrors } from "../errors.js";
import { type InputFile, openInputs } from "./input.js";
import { fileStem, manifestFor, readManifest } from "./manifest.js";
import type { StageInput } from "./stage.js";

/** Which run files to read and how to name their runs. */
export interface RunFiles {
  /** Paths read literally (`-` is standard input); none means the manifest's files. */
  readonly paths: readonly string[];
  /** A CSV mapping each file to model, params, family and seed (`readManifest`). */
  readonly manifest?: string;
}

/**
 * Opens run files for staging and calls `use` with them: each gets its manifest row, and when
 * several are read, the file's stem as model name (used only where the file has no model column).
 * Errors and warnings that name a temporary copy (standard input, a decompressed file) name what
 * the user gave instead. Copies are removed afterwards.
 */
export async function withRunFiles<T>(
  spec: RunFiles,
  use: (inputs: StageInput[]) => Promise<T>,
): Promise<T> {
  const entries = spec.manifest ? readManifest(spec.manifest) : [];
  const paths = spec.paths.length > 0 ? spec.paths : entries.map((e) => e.path);
  if (paths.length === 0) {
    throw new InputError("no input file given", { field: "FILE", hint: "give a runs file" });
  }
  const opened = await openInputs(paths);
  try {
    const inputs = opened.files.map((f, i): StageInput => {
      const row = entries.length > 0 ? manifestFor(entries, paths[i]) : undefined;
      const stem = paths.length > 1 || row ? fileStem(paths[i]) : undefined;
      const fixed = { ...row?.fixed, model: row?.fixed.model ?? stem };
      return { path: f.path, label: f.label, fixed };
    });
    const out = await use(inputs);
    if (out && typeof out === "object" && "warnings" in out && Array.isArray(out.warnings))
      out.warnings.splice(
        0,
        out.warnings.length,
        ...out.warnings.map((w) => relabelText(w, opened.files)),
      );
    return out;
  } catch (e) {
    throw relabel(e, opened.files);
  } finally {
    opened.close();
  }
}

function relabelText(text: string, files: readonly InputFile[]): string {
  let t = text;
  for (const f of files) if (f.path !== f.label) t = t.replaceAll(f.path, f.label);
  return t;
}

/** The same error with temporary paths replaced by the names the user gave. */
function relabel(e: unknown, files: readonly InputFile[]): unknown {
  if (!(e instanceof InputError) || files.every((f) => f.path === f.label)) return e;
  const one = (x: InputError) => {
    // A line of a copy made from a binary log means nothing to the user; its step does.
    const from = files.find((f) => f.path === x.file || f.label === x.file);
    const step = from?.stepOfLine && x.line !== undefined ? from.stepOfLine(x.line) : undefined;
    return new InputError(
      relabelText(x.reason, files) + (step === undefined ? "" : ` (step ${step})`),
      {
        file: x.file === undefined ? undefined : relabelText(x.file, files),
        line: step === undefined ? x.line : undefined,
        column: step === undefined ? x.column : undefined,
        field: x.field,
        hint: x.hint === undefined ? undefined : relabelText(x.hint, files),
      },
    );
  };
  if (e instanceof InputErrors) {
    // "20+ problems in …": more were found than listed.
    const more = /^\d+\+ problems/.test(e.message) ? 1 : 0;
    return new InputErrors(e.problems.map(one), more);
  }
  return one(e);
}
