// What the recovery's retry budget (LiveStash.Store.RecoverRetry, `recover_retry:
// [budget: ms]`) adds to a join of a Redis-backed LiveView: nothing measurable while Redis
// answers, the budget while it is down. One Elixir run (elixir_stub/bench/recover_retry.exs,
// which starts its own redis-server) times reconnects under the default budget and under 0.
import { mixJsonLine } from "./mix";
import { median, percentile } from "./stats";
import type { Row } from "./table";

const STORES = { up: "Redis up (recovered)", down: "Redis killed (:error)" } as const;
const DEFAULT_BUDGET_MS = 2000;

interface Series {
  readonly store: keyof typeof STORES;
  readonly budget: number;
  readonly us: readonly number[];
}

function isSeries(value: unknown): value is Series {
  const s = value as Partial<Series> | null;
  return (
    typeof s?.store === "string" &&
    s.store in STORES &&
    typeof s.budget === "number" &&
    Array.isArray(s.us) &&
    s.us.every((n) => typeof n === "number")
  );
}

const ms = (us: number) => us / 1000;

export function recoverRetry(quick: boolean): Row[] {
  const all = mixJsonLine("bench/recover_retry.exs", "RETRY_JSON", isSeries, (quick ? 0.2 : 1).toFixed(2));
  const find = (store: Series["store"], budget: number) => {
    const found = all.find((s) => s.store === store && s.budget === budget);
    if (!found) throw new Error(`bench/recover_retry.exs: no ${store} series for budget ${budget}`);
    return found;
  };
  const stats = [
    ["median", median],
    ["p99", (xs: readonly number[]) => percentile(xs, 99)],
  ] as const;
  return (Object.keys(STORES) as Series["store"][]).flatMap((store) => {
    const withBudget = find(store, DEFAULT_BUDGET_MS);
    const without = find(store, 0);
    return stats.map(([stat, f]): Row => {
      const value = ms(f(withBudget.us));
      const base = ms(f(without.us));
      return {
        group: "Recovery retry budget, shim (join of a Redis-backed view)",
        metric: `join, ${STORES[store]}, budget ${DEFAULT_BUDGET_MS} ms, ${stat}`,
        value,
        unit: "ms",
        baseline: { label: `budget 0 (one attempt) ${stat}`, value: base },
        note: [
          `${withBudget.us.length} joins each`,
          `${value - base >= 0 ? "+" : ""}${(value - base).toFixed(3)} ms over budget 0`,
        ].join("; "),
      };
    });
  });
}
