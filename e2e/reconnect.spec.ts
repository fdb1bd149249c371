// The core promise: a stashed counter survives every way a socket can drop, in every mode.
import { goOffline, goOnline, waitForConnected } from "../src/testing/testing";
import { Counter, open } from "./support/counter";
import { expect, NETWORK_NOISE, test } from "./support/fixtures";

const MODES = ["browser", "browser-encrypt", "ets", "redis", "mnesia"] as const;
const VALUE = "[data-phx-main] .stat-value";

for (const mode of MODES) {
  test.describe(`${mode} mode`, () => {
    test("survives liveSocket.disconnect() + connect()", async ({ page, server }) => {
      await open(page, server, `/counter/${mode}`);
      const counter = new Counter(page);
      await expect(counter.status).toHaveText("new");
      await counter.increment(3);
      await expect(page).toHaveRecovered(VALUE, "3");
      await expect(counter.status).toHaveText("recovered");
      const last = server.joins.at(-1)!;
      expect(last.params["_mounts"]).toBe(1);
    });

    test("survives a LiveView crash and rejoin", async ({ page, server }) => {
      await open(page, server, `/counter/${mode}`);
      const counter = new Counter(page);
      await counter.increment(2);
      const joinsBefore = server.joins.length;
      expect(server.crashView(await counter.viewId())).toBe(1);
      await expect(page.locator("[data-phx-main]")).toHaveClass(/phx-server-error/);
      await waitForConnected(page);
      await expect(counter.value).toHaveText("2");
      await expect(counter.status).toHaveText("recovered");
      const rejoin = server.joins[joinsBefore]!;
      expect(rejoin.params["_mounts"]).toBeGreaterThan(0);
    });

    test.describe(() => {
      test.use({ allowedConsoleErrors: NETWORK_NOISE });
      test("survives going offline and back", async ({ page, server }) => {
        await open(page, server, `/counter/${mode}`);
        const counter = new Counter(page);
        await counter.increment(2);
        await goOffline(page);
        await goOnline(page);
        await expect(counter.value).toHaveText("2");
        await expect(counter.status).toHaveText("recovered");
      });
    });
  });
}
