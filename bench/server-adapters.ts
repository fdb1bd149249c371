// Server-side rows: LiveStash.stash/1 and recover_state/1 latency per adapter and stash size,
// measured by one Elixir run (elixir_stub/bench/adapters.exs, which starts its own
// redis-server) so every adapter shares the machine state. ETS, the default, is the baseline,
// unless a series names its own (`vs`): the telemetry rows compare a stash with :telemetry
// loaded and no handler attached against the same stash without it.
import { mixJsonLine } from "./mix";
import { median, percentile } from "./stats";
import type { Row } from "./table";

const BASELINE = "ETS";

interface Series {
  readonly adapter: string;
  readonly op: "stash" | "recover";
  readonly bytes: number;
  readonly us: readonly number[];
  /** The adapter label of this series' baseline; null for none; absent for ETS. */
  readonly vs?: string | null;
}

function isSeries(value: unknown): value is Series {
  const s = value as Partial<Series> | null;
  return (
    typeof s?.adapter === "string" &&
    (s.op === "stash" || s.op === "recover") &&
    typeof s.bytes === "number" &&
    Array.isArray(s.us) &&
    s.us.every((n) => typeof n === "number") &&
    (s.vs === undefined || s.vs === null || typeof s.vs === "string")
  );
}

const run = (scale: number): Series[] => mixJsonLine("bench/adapters.exs", "BENCH_JSON", isSeries, scale.toFixed(2));

const size = (bytes: number) => (bytes >= 1 << 20 ? `${bytes >> 20} MB` : `${bytes >> 10} KB`);
const ms = (us: number) => us / 1000;

export function serverAdapters(quick: boolean): Row[] {
  const series = run(quick ? 0.2 : 1);
  const find = (label: string, s: Series) =>
    series.find((b) => b.adapter === label && b.op === s.op && b.bytes === s.bytes);
  return series.flatMap((s) => {
    const label = s.vs === undefined ? BASELINE : s.vs;
    const base = label === null || label === s.adapter ? undefined : find(label, s);
    return (
      [
        ["median", median],
        ["p99", (xs: readonly number[]) => percentile(xs, 99)],
      ] as const
    ).map(
      ([stat, f]): Row => ({
        group: s.vs === undefined ? "server adapters" : "server telemetry",
        metric: `${s.adapter} ${s.op} ${size(s.bytes)} ${stat}`,
        value: ms(f(s.us)),
        unit: "ms",
        ...(base ? { baseline: { label: `${base.adapter} ${stat}`, value: ms(f(base.us)) } } : {}),
        note: `${s.us.length} samples`,
      }),
    );
  });
}
