// startServer(): the LiveView-protocol test server as a reusable module (tests, the demo,
// and main.ts for a standalone process that can be killed and restarted on its port).
import { createServer, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { Beam } from "./bridge/beam";
import type { StashContext } from "./bridge/stash-context";
import { Connection, type AppContext, type JoinRecord } from "./connection";
import { createHttpHandler, MAX_REQUEST_LINE, requestLineLength } from "./http";
import { createSessions } from "./session";
import { ROUTES, VIEWS, type ViewDef } from "./views/index";

export interface ServerOptions {
  /** 0 (default) picks a free port; pass the old port to restart "the same" server. */
  readonly port?: number;
  readonly host?: string;
  /** Overrides every view's stash ttl, in seconds. */
  readonly ttlSeconds?: number;
  /** Overrides every view's stash version: restart with another one to simulate a deploy. */
  readonly version?: string;
  /** Fixed by default so browser tokens verify after a restart; change it to invalidate them. */
  readonly secret?: string;
  /** false: payloads omit `view`, the official LiveStash server's shape. */
  readonly includeView?: boolean;
  /** false: joins that accept keys still get whole tokens (the official server, or ours before per-key stashes). */
  readonly keys?: boolean;
  /** The folder holding the page script (`app.js`) its pages load: whoever built it says where. */
  readonly buildDir: string;
  /** Replace the view registry (the demo adds its own views): key → view, path → key. */
  readonly views?: Readonly<Record<string, ViewDef>>;
  readonly routes?: Readonly<Record<string, string>>;
  /** Boot the next server's BEAM in the background now (for suites that start many servers). */
  readonly spareBeam?: boolean;
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Every join received, with its params (what crossed the wire). */
  readonly joins: readonly JoinRecord[];
  /** Every HTTP and websocket request URL (path + query) received. */
  readonly requests: readonly string[];
  /** Every stash token, stash id and node hint this server handed out. */
  readonly issued: ReadonlySet<string>;
  /** Moves the library's clock (token max_age, row expiry, Redis TTLs) forward. */
  advanceClock(ms: number): void;
  /** Crash the LiveView with this DOM id on every socket (all views when omitted); returns how many. */
  crashView(domId?: string): number;
  /** Drop every websocket without a close frame, as a network cut or node death does. */
  dropConnections(): void;
  /** Runs every live view's keep-alive beat now, as its ttl/4 timer would; returns how many ran. */
  keepAliveNow(): number;
  /** `bumps`: keep-alive beats of views on a server adapter (each bumps its row's TTL). */
  stats(): { bumps: number; connections: number };
  /** The BEAM running the library: its OS pid, and why it is gone once it is. */
  readonly bridge: { readonly pid: number | undefined; readonly failed: Error | undefined };
  close(): Promise<void>;
}

export const DEFAULT_SECRET = "live-stash-e2e-secret-key-base-0123456789abcdef0123456789abcdef";

function reject(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

export async function startServer(opts: ServerOptions): Promise<TestServer> {
  const secret = opts.secret ?? DEFAULT_SECRET;
  // The port listens while the BEAM boots: a client reconnecting to a restarted server gets its
  // socket at once, and its join waits for the library instead of backing off.
  const booting = Beam.start({ secret, spare: opts.spareBeam ?? false }).then(
    (beam): StashContext => ({
      beam,
      ttlSeconds: opts.ttlSeconds,
      version: opts.version,
      includeView: opts.includeView ?? true,
      keys: opts.keys ?? true,
      issued: new Set(),
      counts: { bumps: 0 },
    }),
  );
  booting.catch(() => undefined);
  const joins: JoinRecord[] = [];
  const requests: string[] = [];
  const app: AppContext = {
    stash: booting,
    sessions: createSessions(secret),
    views: opts.views ?? VIEWS,
    routes: opts.routes ?? ROUTES,
    joins,
  };
  const connections = new Set<Connection>();
  const wss = new WebSocketServer({ noServer: true });
  const http: Server = createServer(createHttpHandler(app, requests, { buildDir: opts.buildDir, cspQueryFlag: "csp" }));

  http.on("upgrade", (req, socket, head) => {
    requests.push(req.url ?? "");
    if (requestLineLength(req) > MAX_REQUEST_LINE) return reject(socket, "414 URI Too Long");
    if (new URL(req.url ?? "/", "http://localhost").pathname !== "/live/websocket")
      return reject(socket, "404 Not Found");
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(ws, app);
      connections.add(conn);
      ws.on("close", () => connections.delete(conn));
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", (error) => {
      void booting.then(
        (s) => s.beam.close(),
        () => undefined,
      );
      reject(error);
    });
    http.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  let stash: StashContext;
  try {
    stash = await booting;
  } catch (error) {
    for (const c of connections) c.terminate();
    http.closeAllConnections();
    http.close();
    throw error;
  }
  const { beam } = stash;
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    port,
    joins,
    requests,
    issued: stash.issued,
    advanceClock: (ms) => beam.advanceClock(ms),
    crashView(domId) {
      let n = 0;
      for (const c of connections)
        for (const t of c.topics()) if (domId === undefined || t === `lv:${domId}`) n += c.crash(t) ? 1 : 0;
      return n;
    },
    dropConnections() {
      for (const c of connections) c.terminate();
    },
    keepAliveNow() {
      let n = 0;
      for (const c of connections) n += c.keepAliveNow();
      return n;
    },
    stats: () => ({ bumps: stash.counts.bumps, connections: connections.size }),
    bridge: {
      get pid() {
        return beam.pid;
      },
      get failed() {
        return beam.failed;
      },
    },
    async close() {
      for (const c of connections) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await beam.close();
    },
  };
}
