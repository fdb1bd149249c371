// A stash record is bound to its view instance (the LiveView's DOM id), not only to its module.
// The official client keeps one stash per page and hands it to every view: on a page with two
// nested LiveViews of one module, the view that does not own it must get not_found, never the
// other view's state. Ours keeps one entry per view, so each recovers its own.
import { reconnect, waitForConnected } from "../src/testing/testing";
import { Counter, open, waitForPersisted } from "./support/counter";
import { expect, test } from "./support/fixtures";
import { afterEachReconnect } from "./support/reconnects";

const PAIRS = [
  ["browser (signed)", "/pair"],
  ["ETS", "/pair/ets"],
  ["Redis", "/pair/redis"],
] as const;

test.describe("official client", () => {
  test.use({ stashInWebsocketUrl: true });

  for (const [mode, path] of PAIRS) {
    test(`${mode}: two views of one module never get each other's stash`, async ({ page, server, requestedUrls }) => {
      await open(page, server, path, { client: "official" });
      const [left, right] = [new Counter(page, "#left"), new Counter(page, "#right")];
      await expect(left.status).toHaveText("new");
      await left.increment(2);
      await right.increment(3);

      // The page-wide stash now holds the right view's (browser: its last stash; server modes: its id, announced last).
      await afterEachReconnect(page, 2, async () => {
        await right.expectShows("recovered", 3);
        await left.expectShows("not_found", 0);
      });
      // The official client's stash rides in the websocket URL: the one exemption this test declares.
      expect(requestedUrls.some((url) => url.includes("/live/websocket?") && url.includes("liveStash"))).toBe(true);
    });
  }

  test("browser (signed): the view that lost its stash still stashes, and its record is left alone", async ({
    page,
    server,
  }) => {
    await open(page, server, "/pair", { client: "official" });
    const [left, right] = [new Counter(page, "#left"), new Counter(page, "#right")];
    await left.increment(2);
    await right.increment(3);
    await reconnect(page);
    await expect(left.status).toHaveText("not_found");
    // No init-browser-memory went out for the left view's miss: the right view's stash survives a crash of the right view.
    expect(server.crashView("right")).toBe(1);
    await expect(page.locator("#right")).toHaveClass(/phx-server-error/);
    await waitForConnected(page);
    await right.expectShows("recovered", 3);
    // The left view stashes again and, holding the page-wide stash now, gets its own value back.
    await left.increment(1);
    expect(server.crashView("left")).toBe(1);
    await expect(page.locator("#left")).toHaveClass(/phx-server-error/);
    await waitForConnected(page);
    await left.expectShows("recovered", 1);
  });
});

for (const [mode, path] of PAIRS) {
  test(`our client, ${mode}: two views of one module each recover their own stash`, async ({ page, server }) => {
    await open(page, server, path);
    const [left, right] = [new Counter(page, "#left"), new Counter(page, "#right")];
    await left.increment(2);
    await right.increment(3);
    await afterEachReconnect(page, 2, async () => {
      await left.expectShows("recovered", 2);
      await right.expectShows("recovered", 3);
    });
  });
}

for (const view of ["browser-reload", "ets-reload"] as const) {
  test(`${view}: a record replayed after a reload is bound to the new root id, so a reconnect still finds it`, async ({
    page,
    server,
  }) => {
    await open(page, server, `/counter/${view}`, { storage: "session", reload: true });
    const counter = new Counter(page);
    await counter.increment(3);
    await waitForPersisted(page, server);
    const before = await counter.viewId();
    await page.reload();
    await expect(counter.status).toHaveText("recovered");
    expect(await counter.viewId()).not.toBe(before);
    // No stash since the reload: the record written before it must still be this view's.
    await reconnect(page);
    await counter.expectShows("recovered", 3);
  });
}
