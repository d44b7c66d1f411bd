import { spawn } from "node:child_process";
import { InputError } from "../errors.js";
import { DEFAULT_MAX_UPLOAD, startServer } from "../server/server.js";
import { numberFlag } from "./args.js";
import type { Command } from "./command.js";
import { bool, flagHelp, parseFlags, str } from "./flags.js";

const FLAGS = {
  db: str(
    "FILE",
    "the project store whose families the page offers (default ./scaleladder.duckdb)",
  ),
  analysis: str(
    "DIR",
    `the folder of scaleladder analyze --out DIR: the Guide shows its heatmaps
and the cheapest configurations reaching 15/10/5% ARE`,
  ),
  port: str("N", "port (default 8765; 0 picks a free one)"),
  host: str(
    "H",
    `interface to bind (default 127.0.0.1); anything else exposes your data to
the network and prints a warning`,
  ),
  open: bool("open the page in the default browser"),
  "max-upload": str("SIZE", "largest upload, e.g. 500MB (default), 2GB"),
} as const;

const HELP = `usage: scaleladder serve [--db FILE] [--analysis DIR] [--port N] [--host H] [--open] [--max-upload 500MB]

Starts the local web page: drop your runs, fit, forecast and plan in the browser. Prints the URL
(with a random token, as Jupyter does) and runs until Ctrl-C. Uploads are kept in a temporary
folder removed on exit; nothing else is written. See docs/serve.md.

${flagHelp(FLAGS)}`;

/** `500MB`, `2GB`, `1024` (bytes) → bytes; K, M, G are powers of 1024. */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?\s*$/i.exec(text);
  if (!m) {
    throw new InputError(`--max-upload must be a size such as 500MB, got "${text}"`, {
      field: "--max-upload",
      hint: "e.g. --max-upload 2GB",
    });
  }
  const unit = (m[2] ?? "").toUpperCase()[0];
  const scale = unit === "K" ? 1024 : unit === "M" ? 1024 ** 2 : unit === "G" ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * scale);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export const serveCommand: Command = {
  flags: FLAGS,
  async run(argv, io) {
    const { values } = parseFlags("serve", argv, FLAGS);
    if (values.help) {
      io.out(`${HELP}\n`);
      return 0;
    }
    const host = values.host ?? "127.0.0.1";
    if (!LOOPBACK.has(host)) {
      io.err(
        `scaleladder: warning: --host ${host} lets other machines reach this page and your data; anyone with the URL's token can use it\n`,
      );
    }
    const running = await startServer({
      host,
      port: numberFlag(values, "port", { integer: true, min: 0, max: 65535 }) ?? 8765,
      db: values.db ?? "./scaleladder.duckdb",
      analysis: values.analysis,
      maxUpload:
        values["max-upload"] !== undefined ? parseBytes(values["max-upload"]) : DEFAULT_MAX_UPLOAD,
    });
    io.out(`scaleladder serve: open ${running.url}\n(Ctrl-C to stop)\n`);
    if (values.open) openBrowser(running.url);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await running.close();
    io.err("scaleladder serve: stopped; uploads removed\n");
    return 0;
  },
};

/** Opens a URL with the platform's opener; a missing opener only prints a note. */
function openBrowser(url: string): void {
  const cmd =
    process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(cmd, [url], { stdio: "ignore", detached: true });
  child.on("error", () =>
    process.stderr.write(`scaleladder: could not run ${cmd}; open the URL yourself\n`),
  );
  child.unref();
}
