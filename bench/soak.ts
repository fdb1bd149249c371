// 10,000 pushes: what stays behind in storage and in the JS heap. Pushes come in bursts of
// 100 with a pause longer than the write debounce, so storage is written 100 times.
// Baseline: the same number of window events nobody stashes, dispatched the same way.
import type { CDPSession, Page } from "@playwright/test";
import { EVENTS, WINDOW_EVENT_PREFIX } from "../src/core/protocol";
import { readStoredEntries } from "../src/testing/testing";
import type { Harness } from "./harness";
import { STORAGES } from "./push-cost";
import type { Row } from "./table";

async function heap(cdp: CDPSession): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize;
}

/** Dispatches `n` pushes of `event` as LiveView would; resolves with live-stash's entry count. */
function pushes(page: Page, n: number, event: string, views: number): Promise<number> {
  return page.evaluate(
    async ({ n, event, views }) => {
      const main = document.querySelector("[data-phx-main]")!.id;
      const filler = "A".repeat(1000);
      for (let i = 0; i < n; i++) {
        const view = views === 1 ? main : `bench-view-${i % views}`;
        window.dispatchEvent(new CustomEvent(event, { detail: { assigns: `SFMyNTY.${filler}${i}`, view } }));
        if (i % 100 === 99) await new Promise((r) => setTimeout(r, 60));
      }
      await new Promise((r) => setTimeout(r, 200));
      return window.liveStash.entries().length;
    },
    { n, event, views },
  );
}

export async function soak(h: Harness, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const cases = [...STORAGES.map((s) => [s, 1] as const), ["session", n] as const];
  for (const [storage, views] of cases) {
    const page = await h.open(`/counter/browser?storage=${storage}`);
    const cdp = await page.context().newCDPSession(page);
    const h0 = await heap(cdp);
    await pushes(page, n, `${WINDOW_EVENT_PREFIX}bench-noop`, views);
    const h1 = await heap(cdp);
    const entries = await pushes(page, n, WINDOW_EVENT_PREFIX + EVENTS.stashState, views);
    const h2 = await heap(cdp);
    const stored = JSON.stringify(await readStoredEntries(page)).length;
    const group = `after ${n.toLocaleString("en-US")} pushes (${storage}${views > 1 ? `, ${views.toLocaleString("en-US")} view ids` : ", one view"})`;
    const inMemory = await page.evaluate(() => window.liveStash.entries().reduce((s, e) => s + e.bytes, 0));
    rows.push({
      group,
      metric: "entries",
      value: entries,
      unit: "count",
      note: views > 1 ? "capped by maxEntries (default 32)" : "",
    });
    rows.push({
      group,
      metric: storage === "memory" ? "bytes held (entries' params)" : "bytes in storage (stored entries)",
      value: storage === "memory" ? inMemory : stored,
      unit: "B",
    });
    rows.push({
      group,
      metric: "JS heap growth (after GC)",
      value: h2 - h1,
      unit: "B",
      baseline: { label: "same pushes, no listener", value: h1 - h0 },
      note: `heap before ${(h0 / 1048576).toFixed(1)} MB`,
    });
    await cdp.detach();
    await page.close();
  }
  return rows;
}
