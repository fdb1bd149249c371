// Issue 16's "stash cost" table: server time and bytes pushed per event for click, typing and
// auto-typing, per adapter, over a realistic 48 KB state and an incompressible 64 KB one, from one
// Elixir run (elixir_stub/bench/stash_cost.exs). The baseline of each row is today's whole-token
// behaviour (zlib level 6 always, a SHA-256 fingerprint per stash), reproduced in the same run;
// an unchanged stash is compared with a plain event (no stash) instead. Today's and now's samples
// alternate, each next to a plain event, so a busy machine weighs on both alike.
import { mixJson } from "./mix";
import type { Row } from "./table";

interface Cell {
  readonly state: string;
  readonly adapter: string;
  readonly scenario: "click" | "typing" | "auto" | "unchanged";
  readonly n: number;
  readonly us: number;
  readonly plainUs: number;
  readonly bytes: number;
  readonly keyed: boolean;
  readonly todayUs: number;
  readonly todayBytes: number;
}

interface Token {
  readonly state: string;
  readonly ours: number;
  readonly today: number;
  readonly official: number;
}

interface Output {
  readonly cells: readonly Cell[];
  readonly tokens: readonly Token[];
}

const SCENARIO = {
  click: "click +1 (explicit stash)",
  typing: "typing (phx-change on :draft, explicit stash)",
  auto: "auto-typing (auto_stash, coalesced: one write per 500 ms outside the events; today every render)",
  unchanged: "unchanged stash",
} as const;

const TODAY = "today: level 6 + fingerprint";
const KEYED = "BrowserMemory keyed";

function isOutput(value: unknown): value is Output {
  const o = value as Partial<Output> | null;
  return (
    Array.isArray(o?.cells) &&
    Array.isArray(o.tokens) &&
    o.cells.every(
      (c: Partial<Cell>) =>
        typeof c.us === "number" &&
        typeof c.todayUs === "number" &&
        typeof c.scenario === "string" &&
        c.scenario in SCENARIO,
    )
  );
}

function run(scale: number): Output {
  return mixJson("bench/stash_cost.exs", "BENCH_JSON", isOutput, scale.toFixed(2));
}

const ms = (us: number) => us / 1000;

function cpuRow(c: Cell): Row {
  const group = "stash cost";
  const metric = `${c.adapter}, ${SCENARIO[c.scenario]}, ${c.state}: time per event`;
  // Without per-key stashes on the server, the "keyed" client gets whole tokens: say so.
  const pending =
    c.adapter === KEYED && !c.keyed
      ? "NOT KEYED: this server pushed whole tokens (per-key stashes not merged yet); "
      : "";
  const bytes = `${c.bytes.toLocaleString("en-US")} B pushed per event (today ${c.todayBytes.toLocaleString("en-US")} B)`;
  if (c.scenario === "unchanged")
    return {
      group,
      metric,
      value: ms(c.us),
      unit: "ms",
      baseline: { label: "plain event, no stash", value: ms(c.plainUs) },
      note: `${pending}${c.us.toFixed(1)} µs vs ${c.plainUs.toFixed(1)} µs; today ${ms(c.todayUs).toFixed(3)} ms; ${bytes}; median of ${c.n}`,
    };
  return {
    group,
    metric,
    value: ms(c.us),
    unit: "ms",
    baseline: { label: TODAY, value: ms(c.todayUs) },
    note: `${pending}${bytes}; plain event ${ms(c.plainUs).toFixed(3)} ms; median of ${c.n}`,
  };
}

function tokenRows(t: Token): Row[] {
  const group = "stash cost";
  return [
    {
      group,
      metric: `browser token size, ${t.state}: ours vs the official library's`,
      value: t.ours,
      unit: "B",
      baseline: { label: "official", value: t.official },
      note: `today ${t.today.toLocaleString("en-US")} B (${(t.today / t.official).toFixed(3)}× official)`,
    },
  ];
}

export function stashCost(quick: boolean): Row[] {
  const out = run(quick ? 0.2 : 1);
  return [...out.cells.map(cpuRow), ...out.tokens.flatMap(tokenRows)];
}
