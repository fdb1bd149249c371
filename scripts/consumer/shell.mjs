// Running commands in the consumer suite's throwaway projects, and writing their files.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Runs a command; returns its output, or throws with the output when it fails. */
export function run(command, args, options = {}) {
  const { status, stdout, stderr, error } = spawnSync(command, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
    ...options,
  });
  const output = `${stdout ?? ""}${stderr ?? ""}`;
  if (!options.allowFailure && (error || status !== 0)) {
    throw new Error(
      `\`${command} ${args.join(" ")}\` failed (exit ${status}${error ? `, ${error.message}` : ""}) in ${options.cwd ?? "."}:\n${output.trim()}`,
    );
  }
  return output;
}

/** npm from the local cache where it can: the suite installs the same versions every run. */
export function npmInstall(cwd, specs, extra = []) {
  return run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...extra, ...specs],
    { cwd },
  );
}

export function writeFiles(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof text === "string" ? text : `${JSON.stringify(text, null, 2)}\n`);
  }
}
