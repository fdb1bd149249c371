// @vitest-environment node
// `npm start` as a process: SIGTERM (what a process manager or `kill` sends, not only Ctrl-C)
// stops the demo and every child it started; a port in use is one line that says what to do.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function npmStart(port: number): ChildProcess {
  // Its own process group, so the test can see every process the demo started.
  return spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const output = (stream: NodeJS.ReadableStream | null): (() => string) => {
  let text = "";
  stream?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
};

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

const groupMembers = (pgid: number): string[] =>
  spawnSync("ps", ["-o", "pid=,args=", "-g", String(pgid)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((l) => l.trim());

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function runAndTerminate(npm: ChildProcess): Promise<void> {
  const stdout = output(npm.stdout);
  await eventually(() => /running at (http:\/\/\S+?)\/?\s/.test(stdout()), "the demo printed its URL", 90_000);
  const url = stdout().match(/running at (http:\/\/\S+?)\/?\s/)![1]!;
  expect((await fetch(url)).status).toBe(200);

  const gone = exited(npm);
  process.kill(npm.pid!, "SIGTERM");
  await gone;
  await eventually(() => groupMembers(npm.pid!).length === 0, "no process of the demo left running");
  await expect(fetch(url)).rejects.toThrow();
}

describe("npm start as a process", () => {
  it("stops every child on SIGTERM to the npm process", async () => {
    const npm = npmStart(0);
    try {
      await runAndTerminate(npm);
    } finally {
      // Whatever the outcome, leave nothing of this test running.
      if (groupMembers(npm.pid!).length) process.kill(-npm.pid!, "SIGKILL");
    }
  }, 120_000);

  it("names the port in use and how to choose another, in one line", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const npm = npmStart(port);
      const stderr = output(npm.stderr);
      expect(await exited(npm)).toBe(1);
      const lines = stderr()
        .split("\n")
        .filter((l) => l.trim());
      expect(lines).toEqual([expect.stringMatching(new RegExp(`port ${port} is in use.*PORT=`))]);
    } finally {
      busy.close();
    }
  }, 120_000);
});
