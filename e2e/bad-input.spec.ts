// Bad input never breaks the app: tampered tokens, garbage params, corrupted or failing
// storage. Each case ends with the counter usable and stashing again.
import { reconnect } from "../src/testing/testing";
import { Counter, open, pageUrl, waitForPersisted } from "./support/counter";
import { expect, test } from "./support/fixtures";
import { makeStorageThrow, putIndexedDb, STORAGE_NAMES } from "./support/storage";
import { interceptJoins, tamper } from "./support/wire";

/** After a failed recovery the view counts from 0 again, and stashes again. */
async function expectUsable(counter: Counter, page: import("@playwright/test").Page): Promise<void> {
  await expect(counter.value).toHaveText("0");
  await counter.increment(1);
  await reconnect(page);
  await expect(counter.status).toHaveText("recovered");
  await expect(counter.value).toHaveText("1");
}

for (const mode of ["browser", "browser-encrypt"] as const) {
  test(`${mode}: a tampered token is rejected with status error`, async ({ page, server }) => {
    const joins = await interceptJoins(page);
    await open(page, server, `/counter/${mode}`);
    const counter = new Counter(page);
    await counter.increment(4);
    // Our client holds a manifest and key tokens: the manifest is the token that vouches for them.
    joins.next((given) => {
      const { stashedManifest, ...rest } = given as { stashedManifest: string };
      return { ...rest, stashedManifest: tamper(stashedManifest) };
    });
    await reconnect(page);
    await expect(counter.status).toHaveText("error");
    await expectUsable(counter, page);
  });
}

const GARBAGE: Record<string, readonly unknown[]> = {
  browser: [
    "garbage",
    42,
    [1, 2],
    null,
    { stashedState: 123 },
    { stashedState: "x".repeat(5000) },
    { stashedState: "SFMyNTY.e30.AAAA" },
    { stashId: "abc" },
    { stashedManifest: 42, stashedKeys: "x" },
    { stashedManifest: "SFMyNTY.e30.AAAA", stashedKeys: { "a:count": 1 } },
  ],
  ets: [
    "garbage",
    42,
    [1, 2],
    null,
    { stashId: {} },
    { stashId: "x".repeat(500) },
    { node: "zzz", stashId: "abc" },
    { stashedState: "SFMyNTY.e30.AAAA" },
  ],
};

for (const [mode, values] of Object.entries(GARBAGE)) {
  test(`${mode}: garbage liveStash join params never crash the view`, async ({ page, server }) => {
    const joins = await interceptJoins(page);
    await open(page, server, `/counter/${mode}`);
    const counter = new Counter(page);
    for (const value of values) {
      await counter.increment(2);
      joins.next(() => value);
      await reconnect(page);
      await expect(counter.status, JSON.stringify(value)).toHaveText(/^(error|not_found)$/);
      await expect(counter.value).toHaveText("0");
    }
    await expectUsable(counter, page);
  });
}

const NOW = Date.now();
const entry = (params: unknown, kind = "browser") => ({
  kind,
  params,
  savedAt: NOW,
  seenAt: NOW,
  path: "/counter/browser-reload",
  main: true,
});
const CORRUPT_SNAPSHOTS: readonly unknown[] = [
  "not json {",
  "null",
  "[]",
  JSON.stringify({ v: 99, entries: {} }),
  JSON.stringify({ v: 1, entries: "nope" }),
  JSON.stringify({ v: 1, entries: { "phx-x": entry({ stashedState: "garbage" }) } }),
  JSON.stringify({ v: 1, entries: { "phx-x": entry({ stashedState: 42 }, "ets") } }),
  JSON.stringify({ v: 1, entries: { "phx-x": { kind: "browser" } } }),
];

test("corrupted sessionStorage records at page load (and at reload) leave the app usable", async ({ page, server }) => {
  // About twenty page loads in one test: a loaded machine can take longer than one test's default.
  test.slow();
  for (const snapshot of CORRUPT_SNAPSHOTS) {
    await page.goto(`${server.url}/blank`);
    await page.evaluate(
      ({ names, snapshot }) => {
        sessionStorage.clear();
        sessionStorage.setItem(names.tabKey, JSON.stringify({ id: "t1", live: false }));
        sessionStorage.setItem(`${names.prefix}t1`, snapshot as string);
      },
      { names: STORAGE_NAMES, snapshot },
    );
    await open(page, server, "/counter/browser-reload", { reload: true });
    const counter = new Counter(page);
    await expectUsable(counter, page);
  }
  // The same garbage met by a reload, where the client would replay what it reads.
  await page.addInitScript(
    ({ names, snapshots }) => {
      const n = Number(sessionStorage.getItem("e2e:n") ?? "0");
      sessionStorage.setItem("e2e:n", String(n + 1));
      sessionStorage.setItem(names.tabKey, JSON.stringify({ id: "t2", live: false }));
      sessionStorage.setItem(`${names.prefix}t2`, snapshots[n % snapshots.length] as string);
    },
    { names: STORAGE_NAMES, snapshots: CORRUPT_SNAPSHOTS },
  );
  await open(page, server, "/counter/browser-reload", { reload: true });
  for (let i = 1; i < CORRUPT_SNAPSHOTS.length; i++) {
    await page.reload();
    await open(page, server, "/counter/browser-reload", { reload: true });
    await expectUsable(new Counter(page), page);
  }
});

test("corrupted IndexedDB records at page load leave the app usable", async ({ page, server }) => {
  const values: unknown[] = [
    "not json {",
    42,
    null,
    { v: 1, entries: [1] },
    { v: 1, entries: { "phx-x": entry({ stashedState: "garbage" }) } },
    { v: 2 },
  ];
  for (const value of values) {
    await page.goto(`${server.url}/blank`);
    await page.evaluate((names) => {
      sessionStorage.clear();
      sessionStorage.setItem(names.tabKey, JSON.stringify({ id: "t1", live: false }));
    }, STORAGE_NAMES);
    await putIndexedDb(page, `${STORAGE_NAMES.prefix}t1`, value);
    await open(page, server, "/counter/browser-reload", { storage: "indexeddb", reload: true });
    const counter = new Counter(page);
    await expectUsable(counter, page);
    await waitForPersisted(page, server);
    await page.reload();
    await expect(counter.value).toHaveText("1");
  }
});

for (const storage of ["session", "indexeddb"] as const) {
  test(`a ${storage} storage that throws (quota) leaves the app usable and reports it`, async ({ page, server }) => {
    await makeStorageThrow(page);
    await page.goto(pageUrl(server, "/counter/browser", { storage }));
    await open(page, server, "/counter/browser", { storage });
    const counter = new Counter(page);
    await counter.increment(3);
    await reconnect(page);
    await expect(counter.status).toHaveText("recovered");
    await expect(counter.value).toHaveText("3");
    await expect.poll(() => page.evaluate(() => window.liveStashErrors.map((e) => e.code))).toContain("storage");
  });
}
