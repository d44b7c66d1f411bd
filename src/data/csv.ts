import { InputError } from "../errors.js";

/** A parsed delimited file: header names and rows of raw cells, with the 1-based line of each row. */
export interface DelimitedText {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly lines: readonly number[];
}

/**
 * Parses CSV or TSV text (RFC 4180 quoting: "" inside quotes, delimiters and newlines inside quoted
 * cells). Blank lines are skipped. Every row must have as many cells as the header.
 * @throws InputError naming file, line and column for ragged rows, unterminated quotes, empty input
 */
export function parseDelimited(text: string, file: string, delimiter = ","): DelimitedText {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let startLine = 1;
  let inQuotes = false;
  let quotedAt = 0;
  let sawAny = false;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === "")) records.push({ cells, line: startLine });
    cells = [];
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    sawAny = true;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      inQuotes = true;
      quotedAt = line;
      cell = "";
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      startLine = line;
    } else cell += ch;
  }
  if (inQuotes) {
    throw new InputError("unterminated quoted cell", {
      file,
      line: quotedAt,
      hint: 'close the cell with "',
    });
  }
  if (sawAny && (cell !== "" || cells.length > 0)) endRecord();
  if (records.length === 0) {
    throw new InputError("file is empty", {
      file,
      hint: "expected a header line such as params,tokens,loss",
    });
  }
  const header = records[0].cells.map((h) => h.trim());
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const r of records.slice(1)) {
    if (r.cells.length !== header.length) {
      throw new InputError(
        `expected ${header.length} cells as in the header, found ${r.cells.length}`,
        {
          file,
          line: r.line,
          hint: `check for a missing or extra "${delimiter === "\t" ? "\\t" : delimiter}"`,
        },
      );
    }
    rows.push(r.cells);
    lines.push(r.line);
  }
  return { header, rows, lines };
}
