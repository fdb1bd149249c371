// The server as a separate process (main.ts under tsx), so a test can kill -9 it and start
// a new one on the same port with everything in memory gone.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { listeningUrl } from "../../liveview-server/listening";
import { BUILD_DIR } from "./build-dir";

const MAIN = fileURLToPath(new URL("../../liveview-server/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  kill9(): Promise<void>;
}

export async function spawnServer(
  args: { port?: number; version?: string; ttl?: number } = {},
): Promise<ServerProcess> {
  const argv = ["--import", "tsx", MAIN, "--port", String(args.port ?? 0), "--build-dir", BUILD_DIR];
  if (args.version) argv.push("--version", args.version);
  if (args.ttl) argv.push("--ttl", String(args.ttl));
  const child: ChildProcess = spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const url = await listeningUrl(child);
  return {
    url,
    port: Number(new URL(url).port),
    kill9: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
