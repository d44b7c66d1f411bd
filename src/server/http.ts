import { timingSafeEqual } from "node:crypto";
import { createWriteStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import { InputError } from "../errors.js";
import { inPageTerms } from "./page-terms.js";

/**
 * The page's Content-Security-Policy: scripts, styles and connections from this server only. No
 * `unsafe-eval`: figures are drawn with vega's expression interpreter (`ast: true`), not
 * `new Function`. Styles allow inline attributes because vega-embed and vega set `style` on the
 * elements they create (sizes, cursor); no inline `<script>` is ever allowed.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers every response carries. */
export const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy": CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** An HTTP error with a status and the one-line message the CLI would print. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether a Host header may reach the server: an IP literal, `localhost`, or the name the server
 * was started with. A DNS-rebinding page arrives with its own domain name and is refused.
 */
export function hostAllowed(header: string | undefined, boundHost: string): boolean {
  if (!header) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header);
  if (!m) return false;
  const name = m[1].replace(/^\[|\]$/g, "").toLowerCase();
  return isIP(name) !== 0 || name === "localhost" || name === boundHost.toLowerCase();
}

/** Constant-time token comparison. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A cookie's value from the request's Cookie header. */
export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * The JSON error of a failed request: `{error, status, problems?}` with the same one-line message
 * the CLI prints (`file:line:column: reason; hint: …`). InputErrors are 400, HttpErrors their own
 * status, anything else 500 with its message.
 */
export function errorBody(e: unknown, scrub: (s: string) => string = (s) => s) {
  if (e instanceof HttpError) return { status: e.status, body: { error: scrub(e.message) } };
  if (e instanceof InputError) {
    // The library names an option in backquotes (`params`), which the CLI turns into its flag.
    const lines = inPageTerms(scrub(e.message)).split("\n");
    const problems = "problems" in e ? lines.slice(1) : undefined;
    return { status: 400, body: { error: lines[0], ...(problems ? { problems } : {}) } };
  }
  return { status: 500, body: { error: `internal error: ${scrub((e as Error)?.message ?? "")}` } };
}

/**
 * Reads a JSON request body of at most `limit` bytes.
 * @throws HttpError 413 when longer, 400 when not a JSON object
 */
export async function readJson(
  req: IncomingMessage,
  limit = 1 << 20,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let v: unknown;
  try {
    v = text === "" ? {} : JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `request body is not JSON: ${(e as Error).message}`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new HttpError(400, "request body must be a JSON object");
  return v as Record<string, unknown>;
}

/**
 * Streams a request body into `path`, refusing more than `limit` bytes (early from
 * Content-Length, else as soon as the count passes it). The partial file is left for the caller
 * to remove.
 * @throws HttpError 413 when too large
 */
export async function receiveFile(
  req: IncomingMessage,
  path: string,
  limit: number,
): Promise<number> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(
      413,
      `upload of ${declared} bytes is over the limit of ${limit} bytes; start the server with a larger --max-upload`,
    );
  }
  const out = createWriteStream(path);
  let size = 0;
  try {
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > limit) {
        req.resume();
        throw new HttpError(
          413,
          `upload is over the limit of ${limit} bytes; start the server with a larger --max-upload`,
        );
      }
      if (!out.write(c)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
  } finally {
    await new Promise<void>((r) => out.end(r));
  }
  return size;
}
