// The bridge's compiled beams: the library, the Phoenix doubles and elixir_stub/bridge, built
// in the `:bridge` Mix env. Built once (e2e's globalSetup, `npm start`, the bench); every
// server then starts a BEAM on them without compiling.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ELIXIR_DIR = fileURLToPath(new URL("../../elixir_stub/", import.meta.url));
export const EBIN_DIR = `${ELIXIR_DIR}_build/bridge/lib/live_stash/ebin`;

/** Compiles the bridge (a no-op when nothing changed); throws with mix's output when it fails. */
export function buildBridge(): void {
  const run = spawnSync("mix", ["compile", "--no-deps-check"], {
    cwd: ELIXIR_DIR,
    env: { ...process.env, MIX_ENV: "bridge" },
    encoding: "utf8",
  });
  if (run.error) throw new Error(`live_stash bridge: cannot run mix (${run.error.message}); Elixir is needed`);
  if (run.status !== 0) throw new Error(`live_stash bridge: mix compile failed:\n${run.stdout}${run.stderr}`);
}

/** Builds only when no beams exist yet, so a server started alone (main.ts) still works. */
export function ensureBridgeBuilt(): void {
  if (!existsSync(`${EBIN_DIR}/Elixir.LiveStash.Bridge.beam`)) buildBridge();
}
