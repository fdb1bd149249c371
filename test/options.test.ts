import { describe, expect, it, vi } from "vitest";
import { createLiveStash, LiveStashError } from "../src/index";
import { view } from "./helpers";

describe("options", () => {
  it("rejects bad options with an error that names the fields to fix", () => {
    const bad = { storage: "localStorage", ttl: -1, maxEntries: 1.5 } as never;
    expect(() => createLiveStash({}, bad)).toThrow(LiveStashError);
    expect(() => createLiveStash({}, bad)).toThrow(/invalid option\(s\): storage, ttl, maxEntries/);
  });

  it("accepts a custom storage with the three methods", () => {
    const items = new Map<string, unknown>();
    const live = createLiveStash(
      {},
      {
        storage: {
          getItem: (k) => items.get(k),
          setItem: (k, v) => void items.set(k, v),
          removeItem: (k) => void items.delete(k),
        },
      },
    );
    expect(live.entries()).toEqual([]);
    live.dispose();
  });
});

describe("strict CSP", () => {
  it("never asks the engine to compile code (no `new Function`), even to probe for it", async () => {
    vi.resetModules();
    const compile = vi.spyOn(globalThis, "Function");
    const { createLiveStash: fresh } = await import("../src/index");
    const main = view("phx-main", { main: true });
    const live = fresh({}, { storage: "memory" });
    window.dispatchEvent(new CustomEvent("phx:live-stash:stash-state", { detail: { assigns: "t" } }));
    expect(live.params(main)).toEqual({ liveStash: { stashedState: "t", accept: ["keys"] } });
    const keys = { manifest: "m", keys: { count: "t1" }, names: ["count"] };
    window.dispatchEvent(new CustomEvent("phx:live-stash:stash-keys", { detail: keys }));
    expect(live.params(main)).toEqual({
      liveStash: { stashedManifest: "m", stashedKeys: { count: "t1" }, accept: ["keys"] },
    });
    expect(compile).not.toHaveBeenCalled();
    live.dispose();
  });
});
