import type { ChildProcess } from "node:child_process";

/** Resolves with the URL a server child prints as `listening <url>`; rejects if it exits first. */
export function listeningUrl(child: ChildProcess, name = "server"): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited early (code ${code})`)));
  });
}
