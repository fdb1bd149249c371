// Plain HTTP: pages, the built script, a blank page (to seed storage before a LiveView
// page loads), and Bandit's request-line limit, which is what makes a stash in a URL fatal.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, normalize } from "node:path";
import type { AppContext } from "./connection";
import { BLANK_PAGE, renderPage } from "./dead-render";

/** Bandit answers longer request lines with 414; Cowboy's limit is 8,000. */
export const MAX_REQUEST_LINE = 10_000;

export function requestLineLength(req: IncomingMessage): number {
  return `${req.method ?? "GET"} ${req.url ?? "/"} HTTP/${req.httpVersion}`.length;
}

const TYPES: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".map": "application/json" };

export interface HttpOptions {
  readonly buildDir: string;
  readonly cspQueryFlag: string;
}

export function createHttpHandler(app: AppContext, requests: string[], opts: HttpOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests.push(req.url ?? "");
    if (requestLineLength(req) > MAX_REQUEST_LINE) {
      res.writeHead(414, { connection: "close" }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (url.searchParams.has(opts.cspQueryFlag)) headers["content-security-policy"] = "script-src 'self'";
    const viewKey = app.routes[url.pathname];
    if (req.method === "GET" && viewKey !== undefined) {
      const def = app.views[viewKey]!;
      res
        .writeHead(200, { ...headers, "content-type": "text/html; charset=utf-8" })
        .end(renderPage(def, viewKey, app.sessions));
      return;
    }
    if (url.pathname === "/blank") {
      res.writeHead(200, { ...headers, "content-type": "text/html; charset=utf-8" }).end(BLANK_PAGE);
      return;
    }
    const ext = url.pathname.slice(url.pathname.lastIndexOf("."));
    const type = TYPES[ext];
    const file = normalize(join(opts.buildDir, url.pathname));
    if (type && file.startsWith(normalize(opts.buildDir))) {
      try {
        const body = await readFile(file);
        res.writeHead(200, { ...headers, "content-type": type }).end(body);
        return;
      } catch {
        // fall through to 404
      }
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  };
}
