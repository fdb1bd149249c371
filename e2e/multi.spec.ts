// More than one stashed view: two nested LiveViews on one page, and two views linked by
// live navigation (which reuses the main container's DOM id for the new view).
import { PARAM_KEY } from "../src/core/protocol";
import { reconnect, waitForConnected, readStoredEntries } from "../src/testing/testing";
import { Counter, open } from "./support/counter";
import { expect, test } from "./support/fixtures";
import { signedTokenView } from "./support/wire";

test("two LiveViews on one page keep separate stashes", async ({ page, server }) => {
  await open(page, server, "/pair");
  const left = new Counter(page, "#left");
  const right = new Counter(page, "#right");
  await left.increment(2);
  await right.increment(5);
  await reconnect(page);
  await expect(left.value).toHaveText("2");
  await expect(right.value).toHaveText("5");
  await expect(left.status).toHaveText("recovered");
  await expect(right.status).toHaveText("recovered");

  // Crash only the left view: it alone rejoins, and still gets its own stash.
  await left.increment(1, 2);
  expect(server.crashView("left")).toBe(1);
  await expect(page.locator("#left")).toHaveClass(/phx-server-error/);
  await waitForConnected(page);
  await expect(left.value).toHaveText("3");
  await expect(right.value).toHaveText("5");
  await expect(page).toHaveStash({ view: "left" });
  await expect(page).toHaveStash({ view: "right" });
  const stored = await readStoredEntries(page);
  expect(stored["left"]!.params).not.toEqual(stored["right"]!.params);
});

test("live navigation between two stashed views never hands one view's stash to the other", async ({
  page,
  server,
}) => {
  await open(page, server, "/nav/a");
  const counter = new Counter(page);
  await expect(counter.value).toHaveText("0");
  await counter.increment(3);
  await page.getByRole("link", { name: "Go to B" }).click();
  await expect(page.locator("h1")).toHaveText("View B");
  await waitForConnected(page);
  await expect(counter.value).toHaveText("0");
  await expect(counter.status).toHaveText("new");
  await counter.increment(1);
  await reconnect(page);
  await expect(counter.value).toHaveText("1");
  await expect(counter.status).toHaveText("recovered");

  await page.getByRole("link", { name: "Go to A" }).click();
  await expect(page.locator("h1")).toHaveText("View A");
  await waitForConnected(page);
  await expect(counter.value).toHaveText("0");
  await reconnect(page);
  await expect(counter.value).toHaveText("0");

  // On the wire: every join of B carried no token or B's own, never A's; and vice versa.
  const byPath = (path: string) => server.joins.filter((j) => new URL((j.url ?? j.redirect)!).pathname === path);
  const stashOf = (params: Record<string, unknown>) => {
    const given = params[PARAM_KEY] as { stashedState?: string; stashedManifest?: string };
    return given.stashedState ?? given.stashedManifest;
  };
  const tokenViews = (path: string) => byPath(path).map((j) => signedTokenView(stashOf(j.params)));
  expect(byPath("/nav/b").length).toBeGreaterThanOrEqual(2);
  expect(tokenViews("/nav/b").every((v) => v === undefined || v === "NavBLive")).toBe(true);
  expect(tokenViews("/nav/b")).toContain("NavBLive");
  expect(tokenViews("/nav/a").every((v) => v === undefined || v === "NavALive")).toBe(true);
  expect(server.joins.every((j) => j.status !== "error")).toBe(true);
});
