import { get, set, createStore, keys } from "idb-keyval";
import { describe, expect, it } from "vitest";
import { IDB_DATABASE, IDB_STORE, SNAPSHOT_PREFIX, TAB_KEY } from "../src/core/constants";
import { EVENTS } from "../src/core/protocol";
import { joinStash, navigationType, push, stash, TOKEN, view } from "./helpers";

const store = () => createStore(IDB_DATABASE, IDB_STORE);
const tabId = () => (JSON.parse(sessionStorage.getItem(TAB_KEY)!) as { id: string }).id;
const flushed = async (live: { dispose(): void }) => {
  window.dispatchEvent(new Event("pagehide"));
  live.dispose();
  await new Promise((resolve) => setTimeout(resolve, 20));
};

describe("IndexedDB storage", () => {
  it("writes the tab's snapshot and replays it after a reload once ready", async () => {
    const el = view("side");
    const first = stash({ storage: "indexeddb", recoverAfterReload: true });
    await first.ready;
    joinStash(first, el);
    push(EVENTS.stashState, { assigns: TOKEN, view: "side" });
    await flushed(first);
    expect(((await get(SNAPSHOT_PREFIX + tabId(), store())) as { entries: object }).entries).toHaveProperty("side");

    navigationType("reload");
    const second = stash({ storage: "indexeddb", recoverAfterReload: true });
    await second.ready;
    expect(joinStash(second, el)).toEqual({ stashedState: TOKEN, restored: true });
  });

  it("keeps two tabs apart: neither reads nor overwrites the other's entries", async () => {
    const el = view("side");
    const tabA = stash({ storage: "indexeddb", recoverAfterReload: true });
    await tabA.ready;
    const idA = tabId();
    push(EVENTS.stashState, { assigns: "token-a", view: "side" });
    await flushed(tabA);

    // Tab B: its own sessionStorage, so its own id.
    sessionStorage.clear();
    navigationType("reload");
    const tabB = stash({ storage: "indexeddb", recoverAfterReload: true });
    await tabB.ready;
    expect(tabId()).not.toBe(idA);
    expect(joinStash(tabB, el)).toEqual({});
    push(EVENTS.stashState, { assigns: "token-b", view: "side" });
    await flushed(tabB);

    const a = (await get(SNAPSHOT_PREFIX + idA, store())) as { entries: Record<string, { params: unknown }> };
    expect(a.entries.side?.params).toEqual({ stashedState: "token-a" });
  });

  it("gives a duplicated tab a new id and none of the original's entries", async () => {
    const el = view("side");
    const original = stash({ storage: "indexeddb", recoverAfterReload: true });
    await original.ready;
    const originalId = tabId();
    push(EVENTS.stashState, { assigns: TOKEN, view: "side" });
    window.dispatchEvent(new Event("visibilitychange"));
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });

    // The duplicate starts while the original is live, with a copy of its sessionStorage.
    navigationType("back_forward");
    const duplicate = stash({ storage: "indexeddb", recoverAfterReload: true });
    await duplicate.ready;
    expect(tabId()).not.toBe(originalId);
    expect(joinStash(duplicate, el)).toEqual({});
    expect(await get(SNAPSHOT_PREFIX + originalId, store())).toBeDefined();
  });

  it("sweeps snapshots of tabs gone longer than the ttl, and spares live ones", async () => {
    const old = Date.now() - 400_000;
    await set(`${SNAPSHOT_PREFIX}closed-tab`, { v: 1, savedAt: old, entries: {} }, store());
    await set(`${SNAPSHOT_PREFIX}live-tab`, { v: 1, savedAt: Date.now(), entries: {} }, store());
    const live = stash({ storage: "indexeddb" });
    await live.ready;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await keys(store())).toEqual([`${SNAPSHOT_PREFIX}live-tab`]);
  });
});

describe("the unload journal", () => {
  /** A page life that stored "old" in IndexedDB, then a reload whose view has joined. */
  async function reloadedAfterOld() {
    const el = view("side");
    const first = stash({ storage: "indexeddb", recoverAfterReload: true });
    await first.ready;
    joinStash(first, el);
    push(EVENTS.stashState, { assigns: "old", view: "side" });
    await flushed(first);
    navigationType("reload");
    const second = stash({ storage: "indexeddb", recoverAfterReload: true });
    await second.ready;
    joinStash(second, el);
    return { el, second };
  }

  it("replays the newest stash after a reload even if the IndexedDB write was cut off", async () => {
    // The second page life's last stash never reaches IndexedDB before the next page reads it.
    const { el, second } = await reloadedAfterOld();
    push(EVENTS.stashState, { assigns: "newest", view: "side" });
    window.dispatchEvent(new Event("pagehide"));
    second.dispose();
    // Without waiting for IndexedDB: the next page is served at once from the journal.
    const third = stash({ storage: "indexeddb", recoverAfterReload: true });
    expect(joinStash(third, el)).toEqual({ stashedState: "newest", restored: true });
  });

  it("lets an empty journal win over an older IndexedDB copy (a reset right before the reload)", async () => {
    const { el, second } = await reloadedAfterOld();
    push(EVENTS.initBrowserMemory, { view: "side" });
    window.dispatchEvent(new Event("pagehide"));
    second.dispose();
    const third = stash({ storage: "indexeddb", recoverAfterReload: true });
    await third.ready;
    expect(joinStash(third, el)).toEqual({});
  });
});

describe("pages of one tab with different storages", () => {
  it("does not take a sessionStorage snapshot for the IndexedDB journal", async () => {
    const el = view("side");
    const sessionPage = stash({ storage: "session", recoverAfterReload: true });
    joinStash(sessionPage, el);
    push(EVENTS.stashState, { assigns: "session-page", view: "side" });
    window.dispatchEvent(new Event("pagehide"));
    sessionPage.dispose();

    navigationType("reload");
    const idbPage = stash({ storage: "indexeddb", recoverAfterReload: true });
    await idbPage.ready;
    expect(idbPage.entries()).toEqual([]);
  });
});
