// The test server's bridge to the library, on its own: per event, the round trip Node sees
// (JSON both ways, the loopback socket, the hop to the view's process) minus the time spent in
// the view's process (LiveStash.stash/1 and the render hooks), so the bench rows that run the
// server are not read as the library's cost.
import { Beam } from "../liveview-server/bridge/beam";
import { DEFAULT_SECRET } from "../liveview-server/index";
import { median } from "./stats";
import type { Row } from "./table";

const MODES = [
  ["BrowserMemory (sign)", { adapter: "browser", security_mode: "sign" }],
  ["ETS", { adapter: "ets" }],
] as const;

export async function bridgeCost(events: number): Promise<Row[]> {
  const beam = await Beam.start({ secret: DEFAULT_SECRET });
  const rows: Row[] = [];
  try {
    for (const [label, adapter] of MODES) {
      const view = `bench-${adapter.adapter}`;
      const options = { stored_keys: ["count"], ...adapter };
      await beam.call("mount", {
        view,
        module: `BridgeBench${adapter.adapter}Live`,
        options,
        stored_keys: ["count"],
        dom_id: "phx-bench",
        nested: false,
        params: { _mounts: 0 },
      });
      await beam.call("render", { view, ops: [], assigns: { count: 0 }, components: [] });
      const overhead: number[] = [];
      const inside: number[] = [];
      for (let i = 1; i <= events; i++) {
        const t = process.hrtime.bigint();
        const out = await beam.call<{ us: number }>("render", {
          view,
          ops: [["assign", { count: i }], ["stash"]],
          assigns: {},
          components: [],
        });
        const total = Number(process.hrtime.bigint() - t) / 1e6;
        inside.push(out.us / 1000);
        overhead.push(total - out.us / 1000);
      }
      rows.push({
        group: "bridge (test server ↔ library)",
        metric: `bridge's own cost per event, ${label}, a one-key stash`,
        value: median(overhead),
        unit: "ms",
        baseline: { label: "the library's work in the BEAM", value: median(inside) },
        note: `median of ${events}; JSON + loopback + process hop, not LiveStash`,
      });
    }
  } finally {
    await beam.close();
  }
  return rows;
}
