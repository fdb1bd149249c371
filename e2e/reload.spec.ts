// Full page reloads: off by default; with recoverAfterReload on both sides the value
// survives a reload, and still never a fresh navigation.
import { PARAM_KEY } from "../src/core/protocol";
import { reconnect } from "../src/testing/testing";
import { Counter, open, waitForPersisted } from "./support/counter";
import { expect, test } from "./support/fixtures";

test("off by default: a reload shows the initial value", async ({ page, server }) => {
  await open(page, server, "/counter/browser-reload");
  const counter = new Counter(page);
  await counter.increment(3);
  await page.reload();
  await expect(counter.status).toHaveText("new");
  await expect(counter.value).toHaveText("0");
});

test("client opted in, view not: the server refuses the replay", async ({ page, server }) => {
  await open(page, server, "/counter/browser", { reload: true });
  const counter = new Counter(page);
  await counter.increment(3);
  await page.reload();
  await expect(counter.status).toHaveText("new");
  await expect(counter.value).toHaveText("0");
  const replay = server.joins.at(-1)!.params[PARAM_KEY] as Record<string, unknown>;
  expect(replay["restored"]).toBe(true);
});

const CASES = [
  ["browser-reload", "session"],
  ["browser-reload", "indexeddb"],
  ["ets-reload", "session"],
  ["ets-reload", "indexeddb"],
] as const;

for (const [view, storage] of CASES) {
  test(`${view} with ${storage} storage: the value survives reloads but not a fresh navigation`, async ({
    page,
    server,
  }) => {
    await open(page, server, `/counter/${view}`, { storage, reload: true });
    const counter = new Counter(page);
    await counter.increment(3);
    await waitForPersisted(page, server);
    await page.reload();
    await expect(counter.status).toHaveText("recovered");
    await expect(counter.value).toHaveText("3");
    await counter.increment(1, 3);
    await waitForPersisted(page, server);
    await page.reload();
    await expect(counter.value).toHaveText("4");
    await reconnect(page);
    await expect(counter.value).toHaveText("4");
    // A fresh navigation to the same URL, and one away and back: never a replay.
    await open(page, server, `/counter/${view}`, { storage, reload: true });
    await expect(counter.status).toHaveText("new");
    await expect(counter.value).toHaveText("0");
    await counter.increment(2);
    await page.goto(`${server.url}/blank`);
    await open(page, server, `/counter/${view}`, { storage, reload: true });
    await expect(counter.status).toHaveText("new");
    await expect(counter.value).toHaveText("0");
  });
}

for (const storage of ["session", "indexeddb"] as const) {
  test(`${storage}: a reload right after a stash replays the newest value (pagehide flush)`, async ({
    page,
    server,
  }) => {
    await open(page, server, "/counter/browser-reload", { storage, reload: true });
    const counter = new Counter(page);
    await counter.increment(3);
    await page.reload();
    await expect(counter.status).toHaveText("recovered");
    await expect(counter.value).toHaveText("3");
  });
}
