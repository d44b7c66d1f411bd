import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ROUTES } from "./api.js";
import {
  cookie,
  errorBody,
  HttpError,
  hostAllowed,
  SECURITY_HEADERS,
  sendJson,
  tokenMatches,
} from "./http.js";
import { Session } from "./session.js";
import { staticFile } from "./static.js";

/** How to start the server. */
export interface ServeOptions {
  /** Interface to bind; 127.0.0.1 unless the user asks otherwise. */
  readonly host?: string;
  /** Port; 0 picks a free one. */
  readonly port?: number;
  /** The project store the page may read (`--db`). */
  readonly db?: string;
  /** Largest upload in bytes (default 500 MB). */
  readonly maxUpload?: number;
  /** The folder of `scaleladder analyze --out DIR` whose heatmaps the Guide shows. */
  readonly analysis?: string;
  /** The access token; random per start unless given (tests). */
  readonly token?: string;
}

/** A running server. */
export interface Running {
  /** The URL to open, with the token. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** The temporary folder holding uploads (removed by `close`). */
  readonly uploads: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_UPLOAD = 500 * 1024 * 1024;

/** The header the page sends the token in (after the first load it is also a cookie). */
export const TOKEN_HEADER = "x-scaleladder-token";

/**
 * Starts the local web page and its JSON API. Every request must name this machine (Host header:
 * an IP literal, localhost or `host`); API calls must carry the token (cookie or header); the page
 * is served only to a browser that opened the printed URL.
 */
export async function startServer(o: ServeOptions = {}): Promise<Running> {
  const host = o.host ?? "127.0.0.1";
  const token = o.token ?? randomBytes(24).toString("hex");
  const maxUpload = o.maxUpload ?? DEFAULT_MAX_UPLOAD;
  const session = new Session(o.db, o.analysis);
  let cookieName = "scaleladder-token";

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!hostAllowed(req.headers.host, host))
      throw new HttpError(
        403,
        `Host "${req.headers.host ?? ""}" is not this server; open the URL scaleladder serve printed`,
      );
    const origin = req.headers.origin;
    if (origin !== undefined && !hostAllowed(safeHost(origin), host))
      throw new HttpError(403, `requests from ${origin} are refused`);
    const given = (req.headers[TOKEN_HEADER] as string | undefined) ?? cookie(req, cookieName);
    if (url.pathname.startsWith("/api/")) {
      if (!tokenMatches(given, token))
        throw new HttpError(403, "missing or wrong token; open the URL scaleladder serve printed");
      const route = ROUTES[`${req.method} ${url.pathname}`];
      if (!route) throw new HttpError(404, `no API ${req.method} ${url.pathname}`);
      const answer = await route({ req, url, session, maxUpload });
      if (answer && typeof answer === "object" && "file" in answer && "type" in answer) {
        const a = answer as { file: string; type: string; name: string };
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          "Content-Type": a.type,
          "Content-Disposition": `attachment; filename="${a.name}"`,
          "Cache-Control": "no-store",
        });
        res.end(a.file);
      } else sendJson(res, 200, answer);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD")
      throw new HttpError(405, `${req.method} is not allowed here`);
    if (url.pathname === "/" && url.searchParams.has("token")) {
      if (!tokenMatches(url.searchParams.get("token") ?? undefined, token))
        throw new HttpError(403, "wrong token; open the URL scaleladder serve printed");
      // The token moves to a cookie and out of the address bar (and of history and permalinks).
      res.writeHead(302, {
        ...SECURITY_HEADERS,
        Location: "/",
        "Set-Cookie": `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        "Cache-Control": "no-store",
      });
      res.end();
      return;
    }
    if (url.pathname === "/" && !tokenMatches(given, token))
      throw new HttpError(
        403,
        "this page needs its token; open the URL scaleladder serve printed (with ?token=…)",
      );
    const file = staticFile(url.pathname);
    if (!file) throw new HttpError(404, `no page ${url.pathname}`);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "Content-Type": file.type,
      "Content-Length": file.body.length,
      "Cache-Control": url.pathname === "/" ? "no-store" : "max-age=3600",
    });
    res.end(req.method === "HEAD" ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      const { status, body } = errorBody(e, (s) => session.scrub(s));
      if (res.headersSent) res.destroy();
      else {
        if (status === 413) res.setHeader("Connection", "close");
        sendJson(res, status, body);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  cookieName = `scaleladder-token-${port}`;
  const shown = host.includes(":") ? `[${host}]` : host;
  const originUrl = `http://${shown}:${port}`;
  return {
    url: `${originUrl}/?token=${token}`,
    origin: originUrl,
    token,
    uploads: session.dir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      session.close();
    },
  };
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
