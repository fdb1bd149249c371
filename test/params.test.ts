import { describe, expect, it } from "vitest";
import initLiveStash from "../src/index";
import { EVENTS } from "../src/protocol";
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

  it("sends an empty liveStash object on a join with nothing stashed, like the official client", () => {
    const main = view("phx-main", { main: true });
    expect(stash().params(main)).toEqual({ _csrf_token: "csrf", liveStash: {} });
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
    expect(live.params(main)).toEqual({ token: "t", view: "phx-main", liveStash: {} });
    expect(seen).toEqual([undefined, main]);
  });

  it("initLiveStash returns the params function itself", () => {
    const main = view("phx-main", { main: true });
    const params = initLiveStash({ _csrf_token: "x" }, { storage: "memory" });
    push(EVENTS.initEts, { node: "n", stashId: "id-1" });
    expect(params(main)).toEqual({ _csrf_token: "x", liveStash: { node: "n", stashId: "id-1" } });
    expect(params()).toEqual({ _csrf_token: "x" });
  });

  it("rejects params that are neither an object nor a function", () => {
    expect(() => stash({}, 42 as never)).toThrow(/params must be an object or a function/);
  });
});
