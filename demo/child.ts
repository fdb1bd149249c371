// The server child process: spawned under tsx, killed with SIGKILL for "kill & restart".
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { listeningUrl } from "../liveview-server/listening";

const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface ServerChild {
  readonly port: number;
  /** SIGKILL, no goodbye: everything in its memory is gone. Resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: Promise<number | null>;
}

export async function spawnServerChild(port: number, buildDir: string): Promise<ServerChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", SERVER, "--port", String(port), "--build-dir", buildDir],
    {
      cwd: ROOT,
      // stdin is a pipe so the child notices when this process dies; stderr shows its crashes.
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await listeningUrl(child, "demo server");
  return {
    port: Number(new URL(url).port),
    exited,
    kill: async (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
