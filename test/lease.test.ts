// Our server keeps a browser token alive with small leases instead of re-sending the token: the
// client hands the latest lease back next to the token it extends, and only there.
import { describe, expect, it, vi } from "vitest";
import { mountInspector } from "../src/inspector/inspector";
import { EVENTS } from "../src/core/protocol";
import { joinStash, navigationType, previousPage, push, stash, TOKEN, view } from "./helpers";

describe("leases", () => {
  it("hand the latest lease back with the token, and a new token drops it", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashState, { assigns: TOKEN, view: "phx-main" });
    push(EVENTS.lease, { lease: "lease-1", ttl: 300, view: "phx-main" });
    push(EVENTS.lease, { lease: "lease-2", ttl: 300, view: "phx-main" });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN, lease: "lease-2" });

    push(EVENTS.stashState, { assigns: "SFMyNTY.new", view: "phx-main" });
    expect(joinStash(live, main)).toEqual({ stashedState: "SFMyNTY.new" });
  });

  it("are ignored for a view that holds no browser token, and when malformed", () => {
    const main = view("phx-main", { main: true });
    const side = view("side");
    const live = stash();
    push(EVENTS.lease, { lease: "stray", view: "phx-main" });
    push(EVENTS.initEts, { node: "hint", stashId: "row", view: "side" });
    push(EVENTS.lease, { lease: "stray", view: "side" });
    push(EVENTS.stashState, { assigns: TOKEN, view: "phx-main" });
    push(EVENTS.lease, { lease: 42, view: "phx-main" });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
    expect(joinStash(live, side)).toEqual({ node: "hint", stashId: "row" });
    expect(live.errors.map((e) => e.code)).toEqual(["payload"]);
  });

  it("show their expiry in the inspector, and keep the entry's savedAt", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    view("phx-main", { main: true });
    const live = stash({ ttl: 300 });
    mountInspector(live);
    push(EVENTS.stashState, { assigns: TOKEN });
    const lease = () => document.querySelector('.live-stash-inspector [data-fact="lease"]')?.textContent;
    expect(lease()).toBeUndefined();
    vi.advanceTimersByTime(10_000);
    push(EVENTS.lease, { lease: "lease-1", ttl: 8 });
    expect(lease()).toBe("lease ends in 8 s");
    expect(live.entries()[0]).toMatchObject({ savedAt: 1_000_000, leaseExpiresAt: 1_018_000 });
    vi.advanceTimersByTime(9_000);
    expect(lease()).toBe("lease expired");
    vi.useRealTimers();
  });

  it("are stored with their token, so a reload replays both", () => {
    previousPage("phx-old", { recoverAfterReload: true }, () => push(EVENTS.lease, { lease: "lease-1", ttl: 300 }));
    navigationType("reload");
    const main = view("phx-new", { main: true });
    const after = stash({ recoverAfterReload: true });
    expect(joinStash(after, main)).toEqual({ stashedState: TOKEN, lease: "lease-1", restored: true });
    expect(after.entries()[0]?.leaseExpiresAt).toBeTypeOf("number");
  });
});
