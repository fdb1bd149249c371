// A slow Redis must not slow the clicks: the event round trip of a LiveView that stashes to
// Redis, healthy and during a `DEBUG SLEEP` stall, against a plain event (no stash) measured
// in the same run. One Elixir run (elixir_stub/bench/stall.exs, which starts its own
// redis-server) also reproduces the synchronous SET the adapter did before its writes went
// behind the LiveView (LiveStash.Store.WriteBehind).
import { mixJsonLine } from "./mix";
import { median, percentile } from "./stats";
import type { Row } from "./table";

const SERIES = {
  "write-behind": "event + Redis stash",
  synchronous: "event + synchronous SET (before write-behind)",
} as const;
const PHASES = { healthy: "Redis healthy", stall: "Redis in DEBUG SLEEP" } as const;
/** The goal: during a stall, a stashing event costs at most this much more than a plain one. */
const GOAL_MS = 20;

interface Series {
  readonly series: "plain" | keyof typeof SERIES;
  readonly phase: keyof typeof PHASES;
  readonly us: readonly number[];
}

function isSeries(value: unknown): value is Series {
  const s = value as Partial<Series> | null;
  return (
    (s?.series === "plain" || (typeof s?.series === "string" && s.series in SERIES)) &&
    typeof s?.phase === "string" &&
    s.phase in PHASES &&
    Array.isArray(s.us) &&
    s.us.every((n) => typeof n === "number")
  );
}

const run = (scale: number): Series[] => mixJsonLine("bench/stall.exs", "STALL_JSON", isSeries, scale.toFixed(2));

const ms = (us: number) => us / 1000;

export function redisStall(quick: boolean): Row[] {
  const all = run(quick ? 0.2 : 1);
  const plain = (phase: Series["phase"]) => {
    const found = all.find((s) => s.series === "plain" && s.phase === phase);
    if (!found) throw new Error(`bench/stall.exs: no plain series for ${phase}`);
    return found;
  };
  const stats = [
    ["median", median],
    ["p99", (xs: readonly number[]) => percentile(xs, 99)],
  ] as const;
  return all
    .filter((s): s is Series & { series: keyof typeof SERIES } => s.series !== "plain")
    .flatMap((s) =>
      stats.map(([stat, f]): Row => {
        const value = ms(f(s.us));
        const base = ms(f(plain(s.phase).us));
        const over = `+${(value - base).toFixed(3)} ms over plain`;
        return {
          group: "Redis stall, shim (event round trip in the LiveView process)",
          metric: `${SERIES[s.series]}, ${PHASES[s.phase]}, ${stat}`,
          value,
          unit: "ms",
          baseline: { label: `plain event ${stat}`, value: base },
          note: [
            `${s.us.length} events`,
            over,
            s.phase === "stall" && s.series === "write-behind" ? `goal ≤ +${GOAL_MS} ms` : "",
          ]
            .filter(Boolean)
            .join("; "),
        };
      }),
    );
}
