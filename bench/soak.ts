// 10,000 pushes: what stays behind in storage and in the JS heap. Pushes come in bursts of
// 100 with a pause longer than the write debounce, so storage is written 100 times.
// Baseline: the same number of window events nobody stashes, dispatched the same way.
import type { CDPSession, Page } from "@playwright/test";
import type { Harness } from "./harness";
import { STORAGES } from "./push-cost";
import type { Row } from "./table";

async function heap(cdp: CDPSession): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize;
}

interface After {
  entries: number;
  storedBytes: number | undefined;
}

function pushes(page: Page, n: number, event: string, views: number): Promise<After> {
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
      const tab = JSON.parse(sessionStorage.getItem("live-stash:tab") ?? "{}") as { id?: string };
      const key = `live-stash:snapshot:${tab.id}`;
      let stored: unknown = sessionStorage.getItem(key);
      if (stored === null) {
        stored = await new Promise<unknown>((resolve) => {
          const open = indexedDB.open("live-stash");
          open.onerror = () => resolve(undefined);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains("snapshots")) return resolve(undefined);
            const get = db.transaction("snapshots").objectStore("snapshots").get(key);
            get.onsuccess = () => resolve(get.result);
            get.onerror = () => resolve(undefined);
          };
        });
      }
      const storedBytes = stored === undefined || stored === null ? undefined : typeof stored === "string" ? stored.length : JSON.stringify(stored).length;
      return { entries: window.liveStash.entries().length, storedBytes };
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
    await pushes(page, n, "phx:bench-noop", views);
    const h1 = await heap(cdp);
    const after = await pushes(page, n, "phx:live-stash:stash-state", views);
    const h2 = await heap(cdp);
    const group = `after ${n.toLocaleString("en-US")} pushes (${storage}${views > 1 ? `, ${views.toLocaleString("en-US")} view ids` : ", one view"})`;
    const inMemory = await page.evaluate(() => window.liveStash.entries().reduce((s, e) => s + e.bytes, 0));
    rows.push({ group, metric: "entries", value: after.entries, unit: "count", note: views > 1 ? "capped by maxEntries (default 32)" : "" });
    rows.push({
      group,
      metric: storage === "memory" ? "bytes held (entries' params)" : "bytes in storage (snapshot)",
      value: storage === "memory" ? inMemory : (after.storedBytes ?? 0),
      unit: "B",
    });
    rows.push({ group, metric: "JS heap growth (after GC)", value: h2 - h1, unit: "B", baseline: { label: "same pushes, no listener", value: h1 - h0 }, note: `heap before ${(h0 / 1048576).toFixed(1)} MB` });
    await cdp.detach();
    await page.close();
  }
  return rows;
}
