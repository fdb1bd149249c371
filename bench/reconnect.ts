// Time from liveSocket.connect() to the recovered value on screen. Before each connect the
// value on screen is scribbled over, so only the join render can put the expected text back.
// The stashed and the plain counter alternate round by round on the same server.
import type { Page } from "@playwright/test";
import { countTo, type Harness } from "./harness";
import { median, percentile } from "./stats";
import type { Row } from "./table";

/** One disconnect + connect; resolves with ms from connect() until `selector` shows `expected` in a connected view. */
export function timeReconnect(page: Page, selector: string, expected: string): Promise<number> {
  return page.evaluate(
    async ({ selector, expected }) => {
      const socket = window.liveSocket;
      const root = document.querySelector<HTMLElement>("[data-phx-main]")!;
      await new Promise<void>((resolve) => socket.disconnect(() => resolve()));
      const target = () => root.querySelector(selector);
      target()!.textContent = "…";
      const done = () => root.classList.contains("phx-connected") && target()?.textContent === expected;
      const t0 = performance.now();
      return new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          resolve(performance.now() - t0);
        });
        observer.observe(root, { attributes: true, childList: true, subtree: true, characterData: true });
        socket.connect();
      });
    },
    { selector, expected },
  );
}

export async function reconnectTime(h: Harness, rounds: number): Promise<Row[]> {
  const stashed = await h.open("/counter/browser?storage=memory");
  const plain = await h.open("/plain/counter");
  await countTo(stashed, 5);
  await countTo(plain, 5);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds + 3; i++) {
    const ta = await timeReconnect(stashed, ".stat-value", "5");
    const tb = await timeReconnect(plain, ".stat-value", "0");
    if (i >= 3) {
      a.push(ta);
      b.push(tb);
    }
  }
  await stashed.close();
  await plain.close();
  const group = "connect() → value on screen";
  return [
    {
      group,
      metric: "live-stash counter (recovers 5), median",
      value: median(a),
      unit: "ms",
      baseline: { label: "plain counter (mounts 0), median", value: median(b) },
      note: `n=${a.length} each, alternating`,
    },
    {
      group,
      metric: "live-stash counter, p90",
      value: percentile(a, 90),
      unit: "ms",
      baseline: { label: "plain p90", value: percentile(b, 90) },
    },
  ];
}
