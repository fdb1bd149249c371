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

/**
 * The JSON a script prints on one line after `tag` and a space (e.g. `BENCH_JSON {...}`),
 * checked by `is`. Throws when the line is missing or has another shape.
 */
export function mixJson<T>(script: string, tag: string, is: (value: unknown) => value is T, ...args: string[]): T {
  const out = mixRun(script, ...args);
  const line = out.split("\n").find((l) => l.startsWith(`${tag} `));
  if (!line) throw new Error(`${script} printed no ${tag} line:\n${out.slice(-2000)}`);
  const parsed: unknown = JSON.parse(line.slice(tag.length + 1));
  if (!is(parsed)) throw new Error(`${script}: unexpected JSON shape`);
  return parsed;
}

/** `mixJson` of an array, each item checked by `isItem`. */
export function mixJsonLine<T>(
  script: string,
  tag: string,
  isItem: (value: unknown) => value is T,
  ...args: string[]
): T[] {
  const isList = (value: unknown): value is T[] => Array.isArray(value) && value.every(isItem);
  return mixJson(script, tag, isList, ...args);
}

/** The tab-separated fields of every line a script prints as `row\t...`, without the tag. */
export function mixRows(script: string, ...args: string[]): string[][] {
  return mixRun(script, ...args)
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([tag]) => tag === "row")
    .map(([, ...fields]) => fields);
}
