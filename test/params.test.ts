import { describe, expect, it } from "vitest";
import initLiveStash from "../src/index";
import { EVENTS } from "../src/core/protocol";
import { joinStash, push, stash, TOKEN, view } from "./helpers";

describe("params: the URL call versus the join call", () => {
  it("never puts the stash into params() without an element (the websocket URL)", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(live.params()).toEqual({ _csrf_token: "csrf" });
    expect(JSON.stringify(live.params())).not.toContain(TOKEN);
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
  });

  it("sends a liveStash object with only the keyed capability on a join with nothing stashed", () => {
    const main = view("phx-main", { main: true });
    expect(stash().params(main)).toEqual({ _csrf_token: "csrf", liveStash: { accept: ["keys"] } });
  });

  it("announces the capability on every join, never in params() without an element (the websocket URL)", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashKeys, { manifest: "manifest", keys: { count: TOKEN }, names: ["count"] });
    expect(live.params(main)).toEqual({
      _csrf_token: "csrf",
      liveStash: { stashedManifest: "manifest", stashedKeys: { count: TOKEN }, accept: ["keys"] },
    });
    const url = JSON.stringify(live.params());
    for (const leak of ["accept", "keys", "manifest", TOKEN]) expect(url).not.toContain(leak);
  });

  it("hands each join its own copy of the keys: what LiveView writes into it never reaches the held stash", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashKeys, { manifest: "manifest", keys: { count: TOKEN }, names: ["count"] });
    const first = joinStash(live, main) as { stashedKeys: Record<string, string> };
    first.stashedKeys["count"] = "overwritten";
    (live.params(main).liveStash as { accept: string[] }).accept.push("more");
    expect(joinStash(live, main)).toEqual({ stashedManifest: "manifest", stashedKeys: { count: TOKEN } });
  });

  it("returns a fresh object on every call, so LiveView's _mounts never leaks into the URL", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    const joined = live.params(main);
    joined._mounts = 1;
    joined._live_referer = undefined;
    expect(live.params()).toEqual({ _csrf_token: "csrf" });
    expect(live.params(main)).not.toBe(joined);
  });

  it("passes the element to a params function and keeps what it returns", () => {
    const main = view("phx-main", { main: true });
    const seen: Array<HTMLElement | undefined> = [];
    const live = stash({}, (el) => {
      seen.push(el);
      return { token: "t", view: el?.id ?? "none" };
    });
    expect(live.params()).toEqual({ token: "t", view: "none" });
    expect(live.params(main)).toEqual({ token: "t", view: "phx-main", liveStash: { accept: ["keys"] } });
    expect(seen).toEqual([undefined, main]);
  });

  it("initLiveStash returns the params function itself", () => {
    const main = view("phx-main", { main: true });
    const params = initLiveStash({ _csrf_token: "x" }, { storage: "memory" });
    push(EVENTS.initEts, { node: "n", stashId: "id-1" });
    expect(params(main)).toEqual({ _csrf_token: "x", liveStash: { node: "n", stashId: "id-1", accept: ["keys"] } });
    expect(params()).toEqual({ _csrf_token: "x" });
  });

  it("rejects params that are neither an object nor a function", () => {
    expect(() => stash({}, 42 as never)).toThrow(/params must be an object or a function/);
  });
});
