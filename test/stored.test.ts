import { describe, expect, it, vi } from "vitest";
import { SNAPSHOT_PREFIX, TAB_KEY } from "../src/core/constants";
import { EVENTS } from "../src/core/protocol";
import { joinStash, navigationType, push, stash, TOKEN, view } from "./helpers";

const TAB = "tab-under-test";
const key = SNAPSHOT_PREFIX + TAB;
const entry = (over: Record<string, unknown> = {}) => ({
  kind: "browser",
  params: { stashedState: TOKEN },
  savedAt: Date.now(),
  seenAt: Date.now(),
  path: "/counter",
  main: false,
  ...over,
});

/** A reloaded tab whose sessionStorage holds `snapshot` (a string is stored as is). */
function storedBeforeReload(snapshot: unknown) {
  sessionStorage.setItem(TAB_KEY, JSON.stringify({ id: TAB, live: false }));
  sessionStorage.setItem(key, typeof snapshot === "string" ? snapshot : JSON.stringify(snapshot));
  navigationType("reload");
}

describe("stored records", () => {
  it("replays a valid stored entry", () => {
    storedBeforeReload({ v: 1, savedAt: Date.now(), entries: { side: entry() } });
    const side = view("side");
    expect(joinStash(stash({ recoverAfterReload: true }), side)).toEqual({ stashedState: TOKEN, restored: true });
  });

  it("deletes a snapshot that is not JSON, reports it, and starts empty", async () => {
    vi.useFakeTimers();
    storedBeforeReload("{not json");
    const side = view("side");
    const live = stash({ recoverAfterReload: true });
    expect(joinStash(live, side)).toEqual({});
    expect(live.errors.map((error) => error.code)).toEqual(["stored"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sessionStorage.getItem(key)).toBeNull();
    push(EVENTS.stashState, { assigns: "new", view: "side" });
    window.dispatchEvent(new Event("pagehide"));
    expect(JSON.parse(sessionStorage.getItem(key)!).entries.side.params).toEqual({ stashedState: "new" });
  });

  it("deletes a snapshot of an unknown version instead of replaying it", async () => {
    vi.useFakeTimers();
    storedBeforeReload({ v: 99, savedAt: Date.now(), entries: { side: entry() } });
    const side = view("side");
    const live = stash({ recoverAfterReload: true });
    expect(joinStash(live, side)).toEqual({});
    await vi.advanceTimersByTimeAsync(100);
    expect(sessionStorage.getItem(key)).toBeNull();
    expect(live.errors.map((error) => error.code)).toEqual(["stored"]);
  });

  it("drops only the corrupted entry and keeps the good one", async () => {
    vi.useFakeTimers();
    storedBeforeReload({
      v: 1,
      savedAt: Date.now(),
      entries: { good: entry(), bad: entry({ params: { stashedState: 7 } }), worse: "garbage" },
    });
    const good = view("good");
    const bad = view("bad");
    const live = stash({ recoverAfterReload: true });
    expect(joinStash(live, good)).toEqual({ stashedState: TOKEN, restored: true });
    expect(joinStash(live, bad)).toEqual({});
    await vi.advanceTimersByTimeAsync(100);
    expect(Object.keys(JSON.parse(sessionStorage.getItem(key)!).entries)).toEqual(["good"]);
  });

  it("reads keyed entries in the same snapshot version as whole tokens, and drops one whose keys are not all tokens", async () => {
    vi.useFakeTimers();
    const keyed = (stashedKeys: unknown) =>
      entry({ params: { stashedManifest: "manifest", stashedKeys, lease: "lease-1" } });
    storedBeforeReload({
      v: 1,
      savedAt: Date.now(),
      entries: {
        whole: entry(),
        keys: keyed({ count: "count-1" }),
        bad: keyed({ count: 7 }),
        listed: keyed(["count-1"]),
      },
    });
    const [whole, keys, bad, listed] = ["whole", "keys", "bad", "listed"].map((id) => view(id));
    const live = stash({ recoverAfterReload: true });
    expect(joinStash(live, whole!)).toEqual({ stashedState: TOKEN, restored: true });
    expect(joinStash(live, keys!)).toEqual({
      stashedManifest: "manifest",
      stashedKeys: { count: "count-1" },
      lease: "lease-1",
      restored: true,
    });
    expect(joinStash(live, bad!)).toEqual({});
    expect(joinStash(live, listed!)).toEqual({});
    expect(live.errors.map((error) => error.code)).toEqual(["stored"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(Object.keys(JSON.parse(sessionStorage.getItem(key)!).entries)).toEqual(["whole", "keys"]);
  });

  it("purges expired entries at start and never replays them", async () => {
    vi.useFakeTimers();
    const old = Date.now() - 301_000;
    storedBeforeReload({ v: 1, savedAt: old, entries: { side: entry({ savedAt: old, seenAt: old }) } });
    const side = view("side");
    const live = stash({ recoverAfterReload: true });
    expect(live.entries()).toEqual([]);
    expect(joinStash(live, side)).toEqual({});
    await vi.advanceTimersByTimeAsync(100);
    expect(sessionStorage.getItem(key)).toBeNull();
  });

  it("honours a shorter ttl option", () => {
    const seen = Date.now() - 5_000;
    storedBeforeReload({ v: 1, savedAt: seen, entries: { side: entry({ seenAt: seen }) } });
    expect(stash({ recoverAfterReload: true, ttl: 4 }).entries()).toEqual([]);
  });
});

describe("expiry on the page", () => {
  it("does not hand back a stash whose view has been gone longer than the ttl", () => {
    vi.useFakeTimers();
    const main = view("phx-main", { main: true, connected: false });
    const live = stash({ ttl: 10 });
    push(EVENTS.stashState, { assigns: TOKEN });
    vi.advanceTimersByTime(9_000);
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
    vi.advanceTimersByTime(2_000);
    expect(joinStash(live, main)).toEqual({});
  });

  it("keeps a connected view's stash alive past the ttl, as the server's keep-alive does", () => {
    vi.useFakeTimers();
    const main = view("phx-main", { main: true, connected: true });
    const live = stash({ ttl: 10 });
    joinStash(live, main);
    push(EVENTS.initEts, { node: "n", stashId: "id" });
    vi.advanceTimersByTime(60_000);
    main.classList.remove("phx-connected");
    vi.advanceTimersByTime(8_000);
    expect(joinStash(live, main)).toEqual({ node: "n", stashId: "id" });
  });
});
