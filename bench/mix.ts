// The shim's bench scripts (elixir_stub/bench/*.exs), run with `mix run` in the test env, where
// the Phoenix doubles are compiled. Throws (no skip) when mix or the script fails.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const STUB = fileURLToPath(new URL("../elixir_stub/", import.meta.url));

/** The script's stdout; its stderr goes to ours. */
export function mixRun(script: string, ...args: string[]): string {
  return execFileSync("mix", ["run", "--no-deps-check", script, ...args], {
    cwd: STUB,
    env: { ...process.env, MIX_ENV: "test" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
}
