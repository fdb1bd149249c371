// What `session_key` costs per distinct session in the shim: Plug.Crypto key-cache entries and
// BEAM memory after 1,000 and 10,000 distinct sessions' first stash, and a new session's first
// stash against a known session's. Measured by elixir_stub/bench/sessions.exs over the ExUnit
// doubles (their Phoenix.Token caches derived keys as Plug.Crypto does). The baseline, run in the
// same VM, is the scheme before: the session's hash folded into the token salt.
import { mixRows } from "./mix";
import type { Row } from "./table";

const GROUP = "session_key, shim (ExUnit doubles)";
const BEFORE = "per-session salts (before)";

export function sessions(quick: boolean): Row[] {
  // Lines `row <metric> <value> <baseline>`.
  const lines = mixRows("bench/sessions.exs", quick ? "0.2" : "1");
  const rows = new Map(
    lines
      .filter(([metric, value, baseline]) => metric && value && baseline)
      .map(([metric, value, baseline]) => [metric!, [Number(value), Number(baseline)] as const]),
  );
  const get = (metric: string) => {
    const row = rows.get(metric);
    if (!row) throw new Error(`bench/sessions.exs printed no "${metric}" row: ${JSON.stringify(lines)}`);
    return row;
  };
  const perSession = (n: number, bytes: number) =>
    `${Math.round(bytes / n).toLocaleString("en-US")} B per session before`;

  const growth = [1_000, 10_000].flatMap((n): Row[] => {
    const sessions = `${n.toLocaleString("en-US")} distinct sessions' first stash`;
    const [entries, oldEntries] = get(`entries ${n}`);
    const [memory, oldMemory] = get(`memory ${n}`);
    return [
      {
        group: GROUP,
        metric: `Plug.Crypto.Keys entries added by ${sessions}`,
        value: entries,
        unit: "count",
        baseline: { label: BEFORE, value: oldEntries },
        note: "goal: at most 1 in total",
      },
      {
        group: GROUP,
        metric: `BEAM memory added by ${sessions}`,
        value: memory,
        unit: "B",
        baseline: { label: BEFORE, value: oldMemory },
        note: `${perSession(n, oldMemory)}; :erlang.memory(:total) after a full GC, so small values are noise`,
      },
    ];
  });

  const [fresh, known] = get("first stash");
  const [oldFresh, oldKnown] = get("first stash per-session salt");
  const ms = (us: number) => us / 1000;
  return [
    ...growth,
    {
      group: GROUP,
      metric: "first stash of a new session, median",
      value: ms(fresh),
      unit: "ms",
      baseline: { label: "a known session's", value: ms(known) },
      note: "goal: within 1.1×",
    },
    {
      group: GROUP,
      metric: `first stash of a new session, median, ${BEFORE}`,
      value: ms(oldFresh),
      unit: "ms",
      baseline: { label: "a known session's", value: ms(oldKnown) },
      note: "each new session derived a key (PBKDF2)",
    },
  ];
}
