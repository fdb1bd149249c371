// The official LiveStash server pushes payloads without `view` and never per-key stashes (it
// ignores `accept`): entries then belong to the main view, and everything still works.
import { reconnect, waitForConnected } from "../src/testing/testing";
import { Counter, open } from "./support/counter";
import { expect, test } from "./support/fixtures";

test.use({ serverOptions: { includeView: false, keys: false } });

for (const mode of ["browser", "ets", "redis"] as const) {
  test(`${mode}: a payload without view (the official server's shape) still works`, async ({ page, server }) => {
    await page.addInitScript(() => {
      const details: unknown[] = [];
      (window as unknown as { stashDetails: unknown[] }).stashDetails = details;
      for (const name of ["init-browser-memory", "stash-state", "init-ets", "init-redis"]) {
        window.addEventListener(`phx:live-stash:${name}`, (e) => details.push((e as CustomEvent).detail));
      }
    });
    await open(page, server, `/counter/${mode}`);
    const counter = new Counter(page);
    await counter.increment(3);
    await reconnect(page);
    await expect(counter.value).toHaveText("3");
    await expect(counter.status).toHaveText("recovered");
    expect(server.crashView(await counter.viewId())).toBe(1);
    await waitForConnected(page);
    await expect(counter.value).toHaveText("3");
    const details = await page.evaluate(
      () => (window as unknown as { stashDetails: Record<string, unknown>[] }).stashDetails,
    );
    expect(details.length).toBeGreaterThan(0);
    expect(details.every((d) => !("view" in d))).toBe(true);
  });
}

test("browser-reload: without view, a reload replay still reaches the main view", async ({ page, server }) => {
  await open(page, server, "/counter/browser-reload", { reload: true });
  const counter = new Counter(page);
  await counter.increment(2);
  await page.reload();
  await expect(counter.status).toHaveText("recovered");
  await expect(counter.value).toHaveText("2");
});
