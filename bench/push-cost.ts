// Main-thread cost of one `stash-state` push, per token size and client storage, measured
// in the page around the same window event LiveView dispatches for a push_event. Baseline:
// JSON.parse of the websocket frame that carries that push, which the LiveView client pays
// anyway before live-stash sees anything.
import { EVENTS, WINDOW_EVENT_PREFIX } from "../src/core/protocol";
import type { Harness } from "./harness";
import { median, percentile } from "./stats";
import type { Row } from "./table";

export const STORAGES = ["memory", "session", "indexeddb"] as const;
const SIZES = [1024, 10 * 1024, 100 * 1024];

interface Samples {
  handle: number[];
  flush: number[];
  parse: number[];
  isolated: boolean;
}

export async function pushCost(h: Harness, pushes: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const storage of STORAGES) {
    const page = await h.open(`/counter/browser?storage=${storage}`);
    for (const size of SIZES) {
      const s = await page.evaluate(
        async ({ size, pushes, event, prefix }): Promise<Samples> => {
          const view = document.querySelector("[data-phx-main]")!.id;
          const filler = "A".repeat(size - 32);
          const handle: number[] = [];
          const flush: number[] = [];
          const parse: number[] = [];
          const warmup = 50;
          for (let i = 0; i < pushes + warmup; i++) {
            // Distinct tokens, so nothing is cached between pushes.
            const token = `SFMyNTY.${filler}${String(i).padStart(24, "0")}`;
            const detail = { assigns: token, view };
            const frame = JSON.stringify([null, null, `lv:${view}`, "diff", { e: [[event, detail]] }]);
            const p0 = performance.now();
            JSON.parse(frame);
            const p1 = performance.now();
            const t0 = performance.now();
            window.dispatchEvent(new CustomEvent(prefix + event, { detail }));
            const t1 = performance.now();
            // pagehide writes what is pending at once: the write a 50 ms debounce would make.
            window.dispatchEvent(new Event("pagehide"));
            const t2 = performance.now();
            if (i >= warmup) {
              parse.push(p1 - p0);
              handle.push(t1 - t0);
              flush.push(t2 - t0);
            }
            // Let IndexedDB requests and timers run now and then, as between real pushes.
            if (i % 50 === 49) await new Promise((r) => setTimeout(r, 0));
          }
          return { handle, flush, parse, isolated: crossOriginIsolated };
        },
        { size, pushes, event: EVENTS.stashState, prefix: WINDOW_EVENT_PREFIX },
      );
      const kb = `${size / 1024} KB`;
      const baseline = { label: "JSON.parse of the frame, median", value: median(s.parse) };
      const res = s.isolated ? "" : " (page not cross-origin isolated: 100 µs timer)";
      rows.push({
        group: `push cost (${storage})`,
        metric: `${kb} event handling, median`,
        value: median(s.handle),
        unit: "ms",
        baseline,
        note: `n=${s.handle.length}${res}`,
      });
      rows.push({
        group: `push cost (${storage})`,
        metric: `${kb} event handling, p99`,
        value: percentile(s.handle, 99),
        unit: "ms",
        baseline: { label: "JSON.parse p99", value: percentile(s.parse, 99) },
      });
      rows.push({
        group: `push cost (${storage})`,
        metric: `${kb} handling + storage write, median`,
        value: median(s.flush),
        unit: "ms",
        baseline,
        note:
          storage === "indexeddb"
            ? "the IDB put itself runs after, async"
            : "write forced per push (normally debounced 50 ms)",
      });
      rows.push({
        group: `push cost (${storage})`,
        metric: `${kb} handling + storage write, p99`,
        value: percentile(s.flush, 99),
        unit: "ms",
        baseline: { label: "JSON.parse p99", value: percentile(s.parse, 99) },
      });
    }
    await page.close();
  }
  return rows;
}
