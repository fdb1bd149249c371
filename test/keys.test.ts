// Our server's per-key stash: each push brings a new manifest and the tokens of the keys that
// changed; the client keeps a token for every key the server lists and hands them all back.
import { get, createStore } from "idb-keyval";
import { describe, expect, it, vi } from "vitest";
import { IDB_DATABASE, IDB_STORE, SNAPSHOT_PREFIX, TAB_KEY } from "../src/core/constants";
import { mountInspector } from "../src/inspector/inspector";
import { EVENTS } from "../src/core/protocol";
import { joinStash, navigationType, push, stash, TOKEN, view } from "./helpers";

const BLOB = "SFMyNTY.blob-token-".padEnd(4000, "x");
const first = {
  manifest: "manifest-1",
  keys: { count: "count-1", draft: "draft-1", blob: BLOB },
  names: ["count", "draft", "blob"],
};
const firstParams = { stashedManifest: "manifest-1", stashedKeys: first.keys };

describe("stash-keys", () => {
  it("goes to the view it names, or to the main view without one", () => {
    const main = view("phx-main", { main: true });
    const side = view("side");
    const live = stash();
    push(EVENTS.stashKeys, { ...first, view: "side" });
    expect(joinStash(live, side)).toEqual(firstParams);
    expect(joinStash(live, main)).toEqual({});
    push(EVENTS.stashKeys, { manifest: "main-manifest", keys: { n: "n-1" }, names: ["n"] });
    expect(joinStash(live, main)).toEqual({ stashedManifest: "main-manifest", stashedKeys: { n: "n-1" } });
    expect(joinStash(live, side)).toEqual(firstParams);
    expect(live.entries().map(({ view, kind }) => [view, kind])).toEqual([
      ["side", "browser"],
      ["phx-main", "browser"],
    ]);
  });

  it("keeps the held token of each listed key it did not change, and drops the keys it no longer lists", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashKeys, first);
    push(EVENTS.stashKeys, { manifest: "manifest-2", keys: { count: "count-2" }, names: ["count", "draft"] });
    expect(joinStash(live, main)).toEqual({
      stashedManifest: "manifest-2",
      stashedKeys: { count: "count-2", draft: "draft-1" },
    });
    push(EVENTS.stashKeys, { manifest: "manifest-3", keys: { blob: "blob-3" }, names: ["draft", "blob"] });
    expect(joinStash(live, main)).toEqual({
      stashedManifest: "manifest-3",
      stashedKeys: { draft: "draft-1", blob: "blob-3" },
    });
    expect(live.errors).toEqual([]);
  });

  it("stores what it has when a listed key has no token, and reports it once, naming the view", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashKeys, { manifest: "manifest-1", keys: { count: "count-1" }, names: ["count", "draft"] });
    push(EVENTS.stashKeys, { manifest: "manifest-2", keys: {}, names: ["count", "lost"] });
    expect(joinStash(live, main)).toEqual({ stashedManifest: "manifest-2", stashedKeys: { count: "count-1" } });
    expect(live.errors.map((error) => error.code)).toEqual(["payload"]);
    expect(live.errors[0]?.message).toContain("phx-main");
    expect(live.errors[0]?.message).not.toContain("count-1");
  });

  it("replaces a whole token, and a whole token replaces it: nothing of one survives into the other", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    push(EVENTS.stashKeys, { manifest: "manifest-1", keys: { count: "count-1" }, names: ["count", "draft"] });
    expect(joinStash(live, main)).toEqual({ stashedManifest: "manifest-1", stashedKeys: { count: "count-1" } });
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
    // The keys held before the whole token are gone: the next per-key stash cannot reuse them.
    push(EVENTS.stashKeys, { manifest: "manifest-2", keys: {}, names: ["count"] });
    expect(joinStash(live, main)).toEqual({ stashedManifest: "manifest-2", stashedKeys: {} });
  });

  it("is cleared by init-browser-memory", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashKeys, first);
    push(EVENTS.initBrowserMemory, {});
    expect(joinStash(live, main)).toEqual({});
    expect(live.entries()).toEqual([]);
  });

  it("takes a lease as a whole token does, and a new stash-keys drops it", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashKeys, first);
    push(EVENTS.lease, { lease: "lease-1", ttl: 300 });
    expect(joinStash(live, main)).toEqual({ ...firstParams, lease: "lease-1" });
    expect(live.entries()[0]?.leaseExpiresAt).toBe(1_300_000);
    push(EVENTS.stashKeys, { manifest: "manifest-2", keys: { count: "count-2" }, names: ["count"] });
    expect(joinStash(live, main)).toEqual({ stashedManifest: "manifest-2", stashedKeys: { count: "count-2" } });
    expect(live.entries()[0]?.leaseExpiresAt).toBeUndefined();
  });

  it("ignores a malformed push, reports it once, and keeps what the view held", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashKeys, first);
    const malformed = [
      null,
      "manifest",
      { keys: first.keys, names: first.names },
      { ...first, manifest: 42 },
      { ...first, keys: ["count-1"] },
      { ...first, keys: null },
      { ...first, keys: { count: 1 } },
      { ...first, names: "count" },
      { ...first, names: ["count", 7] },
      { ...first, names: undefined },
      { ...first, view: 3 },
    ];
    for (const payload of malformed) push(EVENTS.stashKeys, payload);
    expect(joinStash(live, main)).toEqual(firstParams);
    expect(live.errors.map((error) => error.code)).toEqual(["payload"]);
  });

  it("treats key names as opaque: '__proto__' is a key like any other, 'toString' finds no token", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    // As LiveView delivers it: parsed from the frame's JSON, where "__proto__" is an own key.
    push(
      EVENTS.stashKeys,
      JSON.parse('{"manifest":"m","keys":{"__proto__":"proto-1"},"names":["__proto__","toString"]}'),
    );
    const held = joinStash(live, main) as { stashedKeys: Record<string, string> };
    expect(Object.getPrototypeOf(held.stashedKeys)).toBe(Object.prototype);
    expect(JSON.stringify(held)).toBe('{"stashedManifest":"m","stashedKeys":{"__proto__":"proto-1"}}');
    expect(live.errors.map((error) => error.code)).toEqual(["payload"]);
  });
});

describe("stash-keys at rest", () => {
  const tabId = () => (JSON.parse(sessionStorage.getItem(TAB_KEY)!) as { id: string }).id;

  /** The page before a reload: the main view gets two per-key stashes, then the page unloads. */
  async function previousPage(storage: "session" | "indexeddb") {
    const el = view("phx-old", { main: true });
    const page = stash({ storage, recoverAfterReload: true });
    await page.ready;
    joinStash(page, el);
    push(EVENTS.stashKeys, first);
    push(EVENTS.lease, { lease: "lease-1", ttl: 300 });
    push(EVENTS.stashKeys, { manifest: "manifest-2", keys: { count: "count-2" }, names: ["count", "blob"] });
    window.dispatchEvent(new Event("pagehide"));
    page.dispose();
    document.body.innerHTML = "";
  }

  const afterReload = { stashedManifest: "manifest-2", stashedKeys: { count: "count-2", blob: BLOB }, restored: true };

  it("survives a reload in sessionStorage, every key with it", async () => {
    await previousPage("session");
    const stored = JSON.parse(sessionStorage.getItem(SNAPSHOT_PREFIX + tabId())!) as { v: number; entries: object };
    expect(stored.v).toBe(1);
    navigationType("reload");
    const main = view("phx-new", { main: true });
    const live = stash({ storage: "session", recoverAfterReload: true });
    expect(joinStash(live, main)).toEqual(afterReload);
    expect(live.errors).toEqual([]);
  });

  it("survives a reload in IndexedDB, every key with it", async () => {
    await previousPage("indexeddb");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stored = (await get(SNAPSHOT_PREFIX + tabId(), createStore(IDB_DATABASE, IDB_STORE))) as {
      entries: Record<string, { params: unknown }>;
    };
    expect(stored.entries["phx-old"]?.params).toEqual({
      stashedManifest: "manifest-2",
      stashedKeys: { count: "count-2", blob: BLOB },
    });
    navigationType("reload");
    const main = view("phx-new", { main: true });
    const live = stash({ storage: "indexeddb", recoverAfterReload: true });
    await live.ready;
    expect(joinStash(live, main)).toEqual(afterReload);
    expect(live.errors).toEqual([]);
  });

  it("counts every key's token against the storage budget, and shows the bytes, never a token", () => {
    view("phx-main", { main: true });
    const live = stash({ maxBytes: 3000 });
    mountInspector(live);
    push(EVENTS.stashKeys, first);
    window.dispatchEvent(new Event("pagehide"));
    expect(live.entries()[0]?.bytes).toBeGreaterThan(BLOB.length);
    expect(live.errors.map((error) => error.code)).toEqual(["budget"]);
    expect(sessionStorage.getItem(SNAPSHOT_PREFIX + tabId())).toBeNull();
    const text = document.querySelector(".live-stash-inspector")?.textContent ?? "";
    expect(text).toContain("KB");
    for (const secret of ["manifest-1", "count-1", "draft-1", "blob-token"]) expect(text).not.toContain(secret);
  });
});
