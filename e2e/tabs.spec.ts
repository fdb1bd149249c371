// Tabs share IndexedDB (and a duplicated tab starts with a copy of sessionStorage), yet
// each tab must only ever replay its own stashes.
import type { Page } from "@playwright/test";
import { reconnect } from "../src/testing/testing";
import { Counter, open, waitForPersisted } from "./support/counter";
import { expect, test } from "./support/fixtures";
import type { TestServer } from "../liveview-server/index";

const VIEW = "/counter/browser-reload";

async function reloadAndExpect(page: Page, value: string): Promise<void> {
  await page.reload();
  await expect(new Counter(page).status).toHaveText("recovered");
  await expect(new Counter(page).value).toHaveText(value);
}

async function countTo(page: Page, server: TestServer, n: number): Promise<void> {
  await new Counter(page).increment(n);
  await waitForPersisted(page, server);
}

test("two tabs with IndexedDB stay isolated", async ({ context, server }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await open(a, server, VIEW, { storage: "indexeddb", reload: true });
  await open(b, server, VIEW, { storage: "indexeddb", reload: true });
  await countTo(a, server, 2);
  await countTo(b, server, 5);
  await reloadAndExpect(a, "2");
  await reloadAndExpect(b, "5");
  await reconnect(a);
  await expect(new Counter(a).value).toHaveText("2");
});

for (const storage of ["indexeddb", "session"] as const) {
  test(`a duplicated tab (${storage}) does not share entries with its original`, async ({ context, server }) => {
    const original = await context.newPage();
    await open(original, server, VIEW, { storage, reload: true });
    await countTo(original, server, 3);

    // Duplicating a tab copies its sessionStorage (tab id included) while the original lives.
    const copy = await original.evaluate(() => Object.entries(sessionStorage));
    const dup = await context.newPage();
    await dup.goto(`${server.url}/blank`);
    await dup.evaluate(
      (entries) =>
        entries.forEach(([k, v]) => {
          sessionStorage.setItem(k, v);
        }),
      copy,
    );
    await open(dup, server, VIEW, { storage, reload: true });
    await expect(new Counter(dup).value).toHaveText(/^(0|3)$/);
    await new Counter(dup).button("Reset Stash").click();
    await expect(new Counter(dup).status).toHaveText("reset");
    const start = Number(await new Counter(dup).value.textContent());
    await new Counter(dup).increment(4, start);
    await waitForPersisted(dup, server);

    await reloadAndExpect(original, "3");
    await reloadAndExpect(dup, String(start + 4));
    await reloadAndExpect(original, "3");
  });
}
