// LiveComponent state (each todo item's editing state and draft) travels inside its parent
// LiveView's stash and comes back to the matching (module, id) after every kind of drop.
import { reconnect, waitForConnected } from "../src/testing/testing";
import { open } from "./support/counter";
import { expect, NETWORK_NOISE, test } from "./support/fixtures";
import { spawnServer } from "./support/spawn";
import { messages, recordFrames } from "../liveview-server/frames";
import { stashedItems, Todo } from "./support/todo";

for (const mode of ["browser", "ets"] as const) {
  test(`${mode} mode: each item gets its own draft back after a reconnect`, async ({ page, server }) => {
    await open(page, server, `/todo/${mode}`);
    const todo = new Todo(page);
    await expect(todo.itemStatus("a")).toHaveText("new");
    await todo.type("a", "buy milk");
    await todo.type("b", "call mum");

    await reconnect(page);
    // Only the items stashed: the list itself has nothing to recover.
    await expect(todo.status).toHaveText("not_found");
    await expect(todo.itemStatus("a")).toHaveText("recovered");
    await expect(todo.draft("a")).toHaveText("buy milk");
    await expect(todo.mode("a")).toHaveText("editing");
    await expect(todo.draft("b")).toHaveText("call mum");
    await expect(todo.item("a").locator("input")).toHaveValue("buy milk");
  });
}

test("the wire carries component diffs under c, with cids and phx-target", async ({ page, server }) => {
  const frames = recordFrames(page);
  await open(page, server, "/todo/browser");
  const todo = new Todo(page);
  await todo.type("b", "x");

  const join = messages(frames.received).find((f) => f[3] === "phx_reply" && JSON.stringify(f).includes('"rendered"'))!;
  const rendered = (join[4] as { response: { rendered: { c: Record<string, { s: string[]; r: number }> } } }).response
    .rendered;
  expect(Object.keys(rendered.c)).toEqual(["1", "2"]);
  expect(rendered.c["1"]!.r).toBe(1);
  const keyup = messages(frames.sent).find((f) => f[3] === "event" && (f[4] as { event: string }).event === "draft")!;
  expect(keyup[4]).toMatchObject({ type: "keyup", cid: 2, value: { value: "x" } });
  await expect(todo.item("b").locator("input")).toHaveAttribute("phx-target", "2");
  await expect(todo.item("b")).toHaveAttribute("data-phx-component", "2");
});

test("two items of one component module never swap, even reordered", async ({ page, server }) => {
  await open(page, server, "/todo/browser");
  const todo = new Todo(page);
  await todo.click("Reverse");
  await expect.poll(() => todo.ids()).toEqual(["b", "a"]);
  await todo.type("a", "first");
  await todo.type("b", "second");

  await reconnect(page);
  await expect(todo.itemStatus("b")).toHaveText("recovered");
  expect(await todo.ids()).toEqual(["b", "a"]);
  await expect(todo.draft("a")).toHaveText("first");
  await expect(todo.draft("b")).toHaveText("second");
});

test("a LiveView crash and rejoin restores the items' drafts", async ({ page, server }) => {
  await open(page, server, "/todo/browser");
  const todo = new Todo(page);
  await todo.type("a", "before the crash");
  const viewId = await page.locator("[data-phx-main]").getAttribute("id");
  expect(server.crashView(viewId!)).toBe(1);
  await expect(page.locator("[data-phx-main]")).toHaveClass(/phx-server-error/);
  await waitForConnected(page);
  await expect(todo.itemStatus("a")).toHaveText("recovered");
  await expect(todo.draft("a")).toHaveText("before the crash");
});

test("a removed item is destroyed on the wire and its draft dropped at the parent's next stash", async ({
  page,
  server,
}) => {
  const frames = recordFrames(page);
  await open(page, server, "/todo/browser");
  const todo = new Todo(page);
  await todo.type("a", "soon gone");
  await todo.type("b", "stays");

  await todo.remove("a");
  // The browser confirms the removal: cids_will_destroy, then cids_destroyed (answered with the cids).
  await expect.poll(() => messages(frames.sent).filter((f) => f[3] === "cids_destroyed").length).toBe(1);
  const willDestroy = messages(frames.sent).find((f) => f[3] === "cids_will_destroy")!;
  expect(willDestroy[4]).toEqual({ cids: [1] });
  const destroyedRef = messages(frames.sent).find((f) => f[3] === "cids_destroyed")![1];
  await expect
    .poll(() =>
      messages(frames.received).some(
        (f) =>
          f[1] === destroyedRef && JSON.stringify(f[4]) === JSON.stringify({ status: "ok", response: { cids: [1] } }),
      ),
    )
    .toBe(true);

  await expect.poll(() => stashedItems(server)).toEqual(["a", "b"]);
  await todo.click("Add item"); // the parent's next stash
  await expect(todo.item("n0")).toHaveCount(1);
  // The library finds removed components by a sweep after that stash (send_update pings), and
  // pushes the record without them a moment after the event's reply.
  await expect.poll(() => stashedItems(server)).toEqual(["b"]);
  await reconnect(page);
  await expect(todo.itemStatus("b")).toHaveText("recovered");
  await todo.click("Restore a");
  await expect(todo.itemStatus("a")).toHaveText("not_found");
  await expect(todo.draft("a")).toHaveText("");
  await expect(todo.draft("b")).toHaveText("stays");
});

test.describe(() => {
  test.use({ allowedConsoleErrors: NETWORK_NOISE });

  test("browser mode: the drafts survive kill -9 and a restart of the server", async ({ page }) => {
    let server = await spawnServer();
    try {
      await open(page, server, "/todo/browser");
      const todo = new Todo(page);
      await todo.type("a", "kept in the token");
      await todo.click("Add item");
      await todo.type("n0", "new one");
      await server.kill9();
      server = await spawnServer({ port: server.port });
      await expect(todo.itemStatus("a")).toHaveText("recovered", { timeout: 15_000 });
      await expect(todo.draft("a")).toHaveText("kept in the token");
      await expect(todo.draft("n0")).toHaveText("new one");
      await expect(todo.itemStatus("b")).toHaveText("not_found");
    } finally {
      await server.kill9();
    }
  });
});
