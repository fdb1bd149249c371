// What must NOT come back: fresh navigations, reset stashes, expired and outdated stashes;
// and what must keep living: a view's stash while the view is alive.
import { EVENTS, WINDOW_EVENT_PREFIX } from "../src/core/protocol";
import { reconnect } from "../src/testing/testing";
import { recordFrames } from "../liveview-server/frames";
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

    // Connected for 400 s, past the 300 s TTL, with a beat every 100 s as the library's ttl/4
    // timer runs them: the clock is moved and the beats run on demand, so a loaded machine
    // cannot fail it (the timer itself runs in ExUnit's adapter cases).
    test("the TTL keep-alive keeps a live view's stash", async ({ page, server }) => {
      const frames = recordFrames(page);
      await open(page, server, `/counter/${mode}`);
      const counter = new Counter(page);
      await counter.increment(2);
      const beats = () =>
        mode.startsWith("browser")
          ? frames.received.filter((f) => f.includes(EVENTS.lease)).length
          : server.stats().bumps;
      for (let i = 1; i <= 4; i++) {
        const before = beats();
        server.advanceClock(100_000);
        expect(server.keepAliveNow()).toBe(1);
        await expect.poll(beats).toBeGreaterThan(before);
      }
      await reconnect(page);
      await expect(counter.status).toHaveText("recovered");
      await expect(counter.value).toHaveText("2");
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
