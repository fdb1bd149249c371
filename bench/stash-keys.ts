// Keyed browser stashes (issue 16, part 1): one small-key change of a view whose other stored
// key holds 64 KB, bytes pushed and the shim's CPU for that stash, keyed (our client) against
// the whole token (the official client's join), measured in the same `mix run`.
import { mixRows } from "./mix";
import type { Row } from "./table";

const STATES = 2;
const GOAL = { bytes: "goal ≤ 2 KB", cpu_us: "goal ≤ 0.15×" } as const;

/** The shim, through its Phoenix doubles. Fails (no skip) when mix or elixir is missing. */
export function shimStashKeys(): Row[] {
  const lines = mixRows("bench/stash_keys.exs");
  const group = "stash cost, BrowserMemory shim (ExUnit doubles)";
  // Lines `row <state> <bytes|cpu_us> <keyed> <whole>`.
  const rows = lines
    .filter(([state, metric]) => state && (metric === "bytes" || metric === "cpu_us"))
    .map(([state, metric, keyed, whole]): Row => {
      const bytes = metric === "bytes";
      return {
        group,
        metric: `one small-key change next to ${state}: ${bytes ? "bytes pushed" : "server CPU per stash (median)"}, keyed`,
        value: bytes ? Number(keyed) : Number(keyed) / 1000,
        unit: bytes ? "B" : "ms",
        baseline: { label: "whole token", value: bytes ? Number(whole) : Number(whole) / 1000 },
        note: GOAL[metric as keyof typeof GOAL],
      };
    });
  if (rows.length !== STATES * 2)
    throw new Error(`bench/stash_keys.exs printed ${rows.length} rows: ${JSON.stringify(lines)}`);
  return rows;
}
