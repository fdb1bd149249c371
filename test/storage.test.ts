import { describe, expect, it, vi } from "vitest";
import { FLUSH_DELAY_MS, SNAPSHOT_PREFIX, TAB_KEY } from "../src/core/constants";
import { EVENTS } from "../src/core/protocol";
import type { StashStorage } from "../src/persistence/stash-storage";
import { joinStash, navigationType, push, stash, TOKEN, view } from "./helpers";

const storedSnapshot = () => {
  const { id } = JSON.parse(sessionStorage.getItem(TAB_KEY)!) as { id: string };
  const text = sessionStorage.getItem(SNAPSHOT_PREFIX + id);
  return text === null ? undefined : (JSON.parse(text) as { entries: Record<string, { params: unknown }> });
};

const quota = () => Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });

function throwingStorage(error: () => Error): StashStorage & { calls: number } {
  const storage = {
    calls: 0,
    getItem() {
      storage.calls++;
      throw error();
    },
    setItem() {
      storage.calls++;
      throw error();
    },
    removeItem() {
      storage.calls++;
      throw error();
    },
  };
  return storage;
}

describe("writes", () => {
  it("coalesces a burst of pushes into one write of the last stash", async () => {
    vi.useFakeTimers();
    view("phx-main", { main: true });
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    stash();
    setItem.mockClear();
    for (let n = 0; n < 100; n++) push(EVENTS.stashState, { assigns: `t${n}` });
    expect(setItem).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    expect(setItem).toHaveBeenCalledTimes(1);
    expect(storedSnapshot()?.entries["phx-main"]?.params).toEqual({ stashedState: "t99" });
  });

  it("flushes a pending write at once when the page is hidden or unloaded", () => {
    vi.useFakeTimers();
    view("phx-main", { main: true });
    stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(storedSnapshot()).toBeUndefined();
    window.dispatchEvent(new Event("pagehide"));
    expect(storedSnapshot()?.entries["phx-main"]?.params).toEqual({ stashedState: TOKEN });
  });

  it("removes the stored snapshot when the last stash is cleared", async () => {
    vi.useFakeTimers();
    view("phx-main", { main: true });
    stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    push(EVENTS.initBrowserMemory, {});
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    expect(storedSnapshot()).toBeUndefined();
  });
});

describe("storage that throws", () => {
  it("keeps params(el) working from memory and reports once when every call throws", async () => {
    vi.useFakeTimers();
    const main = view("phx-main", { main: true });
    const storage = throwingStorage(quota);
    const live = stash({ storage });
    for (let n = 0; n < 5; n++) {
      push(EVENTS.stashState, { assigns: `t${n}` });
      await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    }
    expect(storage.calls).toBeGreaterThan(1);
    expect(joinStash(live, main)).toEqual({ stashedState: "t4" });
    expect(live.errors.map((error) => error.code)).toEqual(["storage"]);
    await expect(live.ready).resolves.toBeUndefined();
  });

  it("survives an async storage that rejects", async () => {
    const main = view("phx-main", { main: true });
    const reject = () => Promise.reject(new DOMException("blocked", "InvalidStateError"));
    const live = stash({ storage: { getItem: reject, setItem: reject, removeItem: reject } });
    await live.ready;
    push(EVENTS.stashState, { assigns: TOKEN });
    window.dispatchEvent(new Event("pagehide"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
    expect(live.errors.map((error) => error.code)).toEqual(["storage"]);
  });

  it("falls back to memory when sessionStorage itself is off limits (SecurityError)", () => {
    const main = view("phx-main", { main: true });
    vi.spyOn(window, "sessionStorage", "get").mockImplementation(() => {
      throw new DOMException("denied", "SecurityError");
    });
    const live = stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
    expect(live.errors.map((error) => error.code)).toEqual(["storage"]);
  });

  it("falls back to memory when IndexedDB is missing", () => {
    const main = view("phx-main", { main: true });
    vi.stubGlobal("indexedDB", undefined);
    const live = stash({ storage: "indexeddb" });
    push(EVENTS.initEts, { node: "n", stashId: "s" });
    expect(joinStash(live, main)).toEqual({ node: "n", stashId: "s" });
    expect(live.errors[0]?.message).toMatch(/indexeddb storage is unavailable/);
    vi.unstubAllGlobals();
  });

  it("does not let a throwing onError break the event path", () => {
    const main = view("phx-main", { main: true });
    const live = stash({
      onError: () => {
        throw new Error("handler bug");
      },
    });
    push(EVENTS.stashState, { assigns: 1 });
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
  });

  it("warns once on the console by default", () => {
    view("phx-main", { main: true });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    stash({ onError: undefined });
    push(EVENTS.stashState, { assigns: 1 });
    push(EVENTS.stashState, { assigns: 2 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^live-stash: ignored a malformed/);
  });
});

describe("bounds", () => {
  it("keeps at most maxEntries entries, evicting the oldest", () => {
    vi.useFakeTimers();
    const live = stash({ maxEntries: 2 });
    for (const id of ["a", "b", "c"]) {
      view(id);
      push(EVENTS.stashState, { assigns: `token-${id}`, view: id });
      vi.advanceTimersByTime(1);
    }
    expect(
      live
        .entries()
        .map((entry) => entry.view)
        .sort(),
    ).toEqual(["b", "c"]);
  });

  it("stores only what fits in maxBytes and keeps the rest in memory", () => {
    const big = view("big");
    view("small");
    vi.useFakeTimers();
    const live = stash({ maxBytes: 1000 });
    push(EVENTS.stashState, { assigns: "s", view: "small" });
    vi.advanceTimersByTime(1);
    // The newest stash is too big to store: it must not keep the older ones out of storage.
    push(EVENTS.stashState, { assigns: "x".repeat(5000), view: "big" });
    window.dispatchEvent(new Event("pagehide"));
    expect(Object.keys(storedSnapshot()?.entries ?? {})).toEqual(["small"]);
    expect(joinStash(live, big)).toEqual({ stashedState: "x".repeat(5000) });
    expect(live.errors.map((error) => error.code)).toEqual(["budget"]);
  });
});

describe("the tab id", () => {
  it("keeps its id across a reload and takes a new one when the tab was duplicated", () => {
    navigationType("reload");
    view("phx-main", { main: true });
    const first = stash({ recoverAfterReload: true });
    push(EVENTS.stashState, { assigns: TOKEN });
    window.dispatchEvent(new Event("pagehide"));
    first.dispose();
    const { id } = JSON.parse(sessionStorage.getItem(TAB_KEY)!) as { id: string };

    const reloaded = stash({ recoverAfterReload: true });
    expect(JSON.parse(sessionStorage.getItem(TAB_KEY)!)).toEqual({ id, live: true });
    expect(reloaded.entries()).toHaveLength(1);

    // A duplicate starts with a copy of this sessionStorage while this page is still live.
    const duplicate = stash({ recoverAfterReload: true });
    const copy = JSON.parse(sessionStorage.getItem(TAB_KEY)!) as { id: string };
    expect(copy.id).not.toBe(id);
    expect(duplicate.entries()).toEqual([]);
  });
});
