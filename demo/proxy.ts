// The demo's front door: one port that stays up while the server process behind it is
// killed and restarted. HTTP is proxied request by request (so the supervisor can answer
// its own paths on any kept-alive connection); websockets are piped as raw TCP.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";

export interface ProxyOptions {
  /** The backend's port, or undefined while it is down. */
  backend(): number | undefined;
  /** Answers the request itself and returns true, or returns false to proxy it. */
  local(req: IncomingMessage, res: ServerResponse): boolean;
  /** Extra response headers on proxied HTTP responses. */
  headers?: Readonly<Record<string, string>>;
}

export interface DemoProxy {
  readonly server: Server;
  /** Cuts every websocket piped through, as a dying backend does. */
  dropTunnels(): void;
  close(): Promise<void>;
}

function down(res: ServerResponse): void {
  if (!res.headersSent)
    res.writeHead(503, { "content-type": "text/plain", "retry-after": "1" }).end("server is restarting");
  else res.destroy();
}

export function createProxy(opts: ProxyOptions): DemoProxy {
  const tunnels = new Set<Duplex>();

  const server = createServer((req, res) => {
    if (opts.local(req, res)) return;
    const port = opts.backend();
    if (port === undefined) return down(res);
    const upstream = request(
      { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, { ...up.headers, ...opts.headers });
        up.pipe(res);
      },
    );
    upstream.on("error", () => down(res));
    req.pipe(upstream);
  });

  server.on("upgrade", (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const port = opts.backend();
    if (port === undefined) {
      client.end("HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const upstream: Socket = connect(port, "127.0.0.1");
    tunnels.add(client);
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.on("connect", () => {
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    const close = () => {
      tunnels.delete(client);
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", close);
    upstream.on("close", close);
    client.on("error", close);
    client.on("close", close);
  });

  return {
    server,
    dropTunnels() {
      for (const t of tunnels) t.destroy();
    },
    async close() {
      for (const t of tunnels) t.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
