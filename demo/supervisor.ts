// startDemo(): builds the page, runs the server as a child process behind a proxy on one
// port, and restarts that child on request, on the same internal port.
import type { IncomingMessage, ServerResponse } from "node:http";
import { buildBridge } from "../liveview-server/bridge/build";
import { buildDemoPage, DEMO_BUILD_DIR } from "./build";
import { spawnServerChild, type ServerChild } from "./child";
import { renderIndex } from "./index-page";
import { RESTART_PATH } from "./page/controls";
import { createProxy } from "./proxy";

export interface DemoOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly buildDir?: string;
  /** How long a "kill & restart" keeps the server down, in milliseconds. */
  readonly downMs?: number;
  /** Skip the Vite build (the bundle is already in buildDir). */
  readonly skipBuild?: boolean;
}

export interface Demo {
  readonly url: string;
  /** Kill the server child and start a new one on the same port. */
  restartServer(): Promise<{ downMs: number; restartMs: number }>;
  stop(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const buildDir = opts.buildDir ?? DEMO_BUILD_DIR;
  const downMs = opts.downMs ?? 1500;
  let child: ServerChild | undefined;
  let internalPort = 0;
  let restarting: Promise<{ downMs: number; restartMs: number }> | undefined;
  let stopped = false;

  const restartServer = (): Promise<{ downMs: number; restartMs: number }> => {
    restarting ??= (async () => {
      const old = child;
      child = undefined;
      await old?.kill("SIGKILL");
      await new Promise((resolve) => setTimeout(resolve, downMs));
      const started = Date.now();
      if (!stopped) child = await spawnServerChild(internalPort, buildDir);
      return { downMs, restartMs: Date.now() - started };
    })().finally(() => (restarting = undefined));
    return restarting;
  };

  const local = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/" && req.method === "GET") {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(renderIndex());
      return true;
    }
    if (path === RESTART_PATH && req.method === "POST") {
      restartServer().then(
        (r) => json(res, 200, r),
        (e: unknown) => json(res, 500, { error: String(e) }),
      );
      return true;
    }
    return false;
  };

  // The port first: a port in use fails at once, before a build or a child process exists.
  const proxy = createProxy({ backend: () => child?.port, local });
  await new Promise<void>((resolve, reject) => {
    proxy.server.once("error", reject);
    proxy.server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  try {
    if (!opts.skipBuild) {
      // The server's stash rules run in a BEAM on the bridge's beams: compiled once here.
      buildBridge();
      await buildDemoPage(buildDir);
    }
    child = await spawnServerChild(0, buildDir);
    internalPort = child.port;
  } catch (error) {
    await proxy.close();
    throw error;
  }
  const address = proxy.server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const host = opts.host === undefined || opts.host === "127.0.0.1" ? "localhost" : opts.host;

  return {
    url: `http://${host}:${port}`,
    restartServer,
    async stop() {
      stopped = true;
      await restarting?.catch(() => undefined);
      await Promise.all([proxy.close(), child?.kill("SIGTERM")]);
    },
  };
}
