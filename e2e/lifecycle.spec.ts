// What must NOT come back: fresh navigations, reset stashes, expired and outdated stashes;
// and what must keep living: a view's stash while the view is alive.
import { EVENTS, WINDOW_EVENT_PREFIX } from "../src/core/protocol";
import { reconnect } from "../src/testing/testing";
import { startServer } from "../liveview-server/index";
import { BUILD_DIR } from "./support/build-dir";
import { downFor } from "./support/clock";
import { Counter, open, pageUrl } from "./support/counter";
import { expect, NETWORK_NOISE, test } from "./support/fixtures";

const MODES = ["browser", "browser-encrypt", "ets", "redis", "mnesia"] as const;

for (const mode of MODES) {
  test.describe(`${mode} mode`, () => {
    test("a fresh navigation away and back shows the initial value", async ({ page, server }) => {
      await open(page, server, `/counter/${mode}`);
      const counter = new Counter(page);
      await counter.increment(2);
      await page.goto(`${server.url}/blank`);
      await open(page, server, `/counter/${mode}`);
      await expect(counter.status).toHaveText("new");
      await expect(counter.value).toHaveText("0");
    });

    test("Reset Stash then reconnect shows the initial value", async ({ page, server }) => {
      await open(page, server, `/counter/${mode}`);
      const counter = new Counter(page);
      await counter.increment(2);
      await counter.button("Reset Stash").click();
      await expect(counter.status).toHaveText("reset");
      await expect(counter.value).toHaveText("2");
      await reconnect(page);
      await expect(counter.value).toHaveText("0");
      await expect(counter.status).toHaveText("not_found");
    });

    test("an expired TTL recovers nothing", async ({ page, server }) => {
      await open(page, server, `/counter/${mode}`);
      const counter = new Counter(page);
      await counter.increment(2);
      await downFor(page, server, 301_000);
      await expect(counter.status).toHaveText("not_found");
      await expect(counter.value).toHaveText("0");
    });

    test.describe(() => {
      test.use({ serverOptions: { ttlSeconds: 1 } });
      test("the TTL keep-alive keeps a live view's stash", async ({ page, server }) => {
        await open(page, server, `/counter/${mode}`);
        const counter = new Counter(page);
        await counter.increment(2);
        const since = Date.now();
        // Stay connected for more than the 1 s TTL; the server bumps (or re-issues) every 250 ms.
        await expect.poll(() => Date.now() - since, { intervals: [250] }).toBeGreaterThan(1600);
        if (!mode.startsWith("browser")) await expect.poll(() => server.stats().bumps).toBeGreaterThanOrEqual(4);
        await reconnect(page);
        await expect(counter.status).toHaveText("recovered");
        await expect(counter.value).toHaveText("2");
      });
    });
  });
}

for (const mode of ["browser", "browser-encrypt"] as const) {
  test(`${mode}: "Add Zero" sends no new stash event`, async ({ page, server }) => {
    await open(page, server, `/counter/${mode}`);
    // Our client gets per-key stashes; either kind of stash push counts.
    await page.evaluate(
      (types) => {
        const w = window as unknown as { stashEvents: number };
        w.stashEvents = 0;
        for (const type of types) window.addEventListener(type, () => w.stashEvents++);
      },
      [EVENTS.stashState, EVENTS.stashKeys].map((name) => WINDOW_EVENT_PREFIX + name),
    );
    const counter = new Counter(page);
    await counter.increment(1);
    await counter.button("Add Zero").click();
    await counter.button("Add Zero").click();
    await counter.increment(1, 1);
    // Replies arrive in order, so the last increment's event proves the Add Zero replies came first.
    await expect.poll(() => page.evaluate(() => (window as unknown as { stashEvents: number }).stashEvents)).toBe(2);
  });
}

test.describe(() => {
  test.use({ allowedConsoleErrors: NETWORK_NOISE });
  test("a version change (deploy) rejects old stashes, the same version keeps them", async ({ page }) => {
    let server = await startServer({ version: "v1", buildDir: BUILD_DIR });
    const port = server.port;
    try {
      await open(page, server, "/counter/browser");
      const counter = new Counter(page);
      await counter.increment(2);
      await server.close();
      server = await startServer({ port, version: "v1", buildDir: BUILD_DIR });
      await expect(counter.status).toHaveText("recovered");
      await expect(counter.value).toHaveText("2");
      await server.close();
      server = await startServer({ port, version: "v2", buildDir: BUILD_DIR });
      await expect(counter.status).toHaveText("error");
      await expect(counter.value).toHaveText("0");
      expect(page.url()).toBe(pageUrl(server, "/counter/browser"));
    } finally {
      await server.close();
    }
  });
});
