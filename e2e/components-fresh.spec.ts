// A LiveComponent instance that mounts fresh never receives an older instance's state, whatever
// the order of remove, add, stash and reconnect: recovered states go only to the parent's first
// connected render, and a record holding state for a key that starts fresh forgets it at once.
import { reconnect } from "../src/testing/testing";
import { open } from "./support/counter";
import { expect, test } from "./support/fixtures";
import { recordFrames } from "../liveview-server/frames";
import { afterEachReconnect } from "./support/reconnects";
import { destroyed, stashedItems, Todo } from "./support/todo";

async function expectFresh(todo: Todo, id: string, status: "new" | "not_found"): Promise<void> {
  await expect(todo.item(id)).toHaveCount(1);
  await expect(todo.itemStatus(id)).toHaveText(status);
  await expect(todo.draft(id)).toHaveText("");
  await expect(todo.item(id).locator("input")).toHaveValue("");
}

async function expectKept(todo: Todo): Promise<void> {
  await expect(todo.itemStatus("a")).toHaveText("recovered");
  await expect(todo.draft("a")).toHaveText("keep me");
}

for (const mode of ["browser", "ets"] as const) {
  test(`${mode}: removed, reconnected before the list stashes again, then added back, an item starts fresh`, async ({
    page,
    server,
  }) => {
    const frames = recordFrames(page);
    await open(page, server, `/todo/${mode}`);
    const todo = new Todo(page);
    await todo.type("a", "keep me");
    await todo.type("b", "hello");
    await todo.remove("b");
    await destroyed(frames, 1);

    // The list's record still holds b's draft: nothing has stashed since the removal.
    await reconnect(page);
    await expectKept(todo);
    await expect(todo.item("b")).toHaveCount(0);
    // b was not in the first render, so the record was rewritten without it at once.
    if (mode === "browser") await expect.poll(() => stashedItems(server)).toEqual(["a"]);

    await todo.click("Restore b (list not stashed)");
    await expectFresh(todo, "b", "not_found");

    // Later stashes and reconnects never bring the old draft back either.
    await todo.click("Add item");
    await expect(todo.item("n0")).toHaveCount(1);
    await reconnect(page);
    await expectKept(todo);
    await expectFresh(todo, "b", "not_found");
  });

  test(`${mode}: removed and added back with no list stash, then reconnected at once, an item stays fresh`, async ({
    page,
    server,
  }) => {
    const frames = recordFrames(page);
    await open(page, server, `/todo/${mode}`);
    const todo = new Todo(page);
    await todo.type("a", "keep me");
    await todo.type("b", "hello");
    await todo.remove("b", { listStashed: false });
    await destroyed(frames, 1);

    await todo.click("Restore b (list not stashed)");
    await expectFresh(todo, "b", "new");
    // The record dropped b's old draft when b started fresh, not at the list's next stash.
    if (mode === "browser") await expect.poll(() => stashedItems(server)).toEqual(["a"]);

    await afterEachReconnect(page, 2, async () => {
      await expectKept(todo);
      await expectFresh(todo, "b", "not_found");
    });
  });
}
