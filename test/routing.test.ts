import { describe, expect, it } from "vitest";
import { EVENTS } from "../src/core/protocol";
import { joinStash, push, stash, TOKEN, view } from "./helpers";

describe("per-view routing", () => {
  it("gives each view only its own entry", () => {
    const main = view("phx-main", { main: true });
    const side = view("side-counter");
    const live = stash();
    push(EVENTS.stashState, { assigns: "main-token", view: "phx-main" });
    push(EVENTS.stashState, { assigns: "side-token", view: "side-counter" });
    expect(joinStash(live, main)).toEqual({ stashedState: "main-token" });
    expect(joinStash(live, side)).toEqual({ stashedState: "side-token" });
  });

  it("routes a payload without `view` (the official server) to the main view", () => {
    const main = view("phx-main", { main: true });
    const side = view("side-counter");
    const live = stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
    expect(joinStash(live, side)).toEqual({});
  });

  it("clears only the view that init-browser-memory names", () => {
    const main = view("phx-main", { main: true });
    const side = view("side");
    const live = stash();
    push(EVENTS.stashState, { assigns: "a", view: "phx-main" });
    push(EVENTS.stashState, { assigns: "b", view: "side" });
    push(EVENTS.initBrowserMemory, { view: "side" });
    expect(joinStash(live, main)).toEqual({ stashedState: "a" });
    expect(joinStash(live, side)).toEqual({});
  });

  it("does not hand a view's stash to the next view that live navigation puts on the same element id", () => {
    const first = view("phx-main", { main: true });
    const live = stash();
    expect(joinStash(live, first)).toEqual({});
    push(EVENTS.stashState, { assigns: "view-a-token" });
    // live_redirect: LiveView clones the main element (same id) and joins the new view on it.
    const next = first.cloneNode() as HTMLElement;
    first.replaceWith(next);
    expect(joinStash(live, next)).toEqual({});
    push(EVENTS.initEts, { node: "n", stashId: "view-b" });
    expect(joinStash(live, next)).toEqual({ node: "n", stashId: "view-b" });
  });

  it("hands the stash back on every rejoin of the same view", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    joinStash(live, main);
    push(EVENTS.stashState, { assigns: "t1" });
    expect(joinStash(live, main)).toEqual({ stashedState: "t1" });
    push(EVENTS.stashState, { assigns: "t2" });
    expect(joinStash(live, main)).toEqual({ stashedState: "t2" });
  });

  it("keeps the last of several stashes of one view, one entry per view", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    for (let n = 0; n < 50; n++) push(EVENTS.stashState, { assigns: `t${n}` });
    expect(live.entries()).toHaveLength(1);
    expect(joinStash(live, main)).toEqual({ stashedState: "t49" });
  });
});

describe("bad payloads", () => {
  it("drops a malformed push, reports it once without the token, and keeps the stored stash", () => {
    const main = view("phx-main", { main: true });
    const live = stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    push(EVENTS.stashState, { assigns: 42 });
    push(EVENTS.stashState, null);
    push(EVENTS.initEts, { stashId: "only-id" });
    push(EVENTS.initRedis, { stashId: { nested: TOKEN } });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
    expect(live.errors).toHaveLength(1);
    expect(live.errors[0]?.message).toMatch(/malformed/);
    expect(live.errors.map((error) => error.message).join()).not.toContain(TOKEN);
  });

  it("ignores a push without `view` when the page has no main view", () => {
    const lone = view("lone");
    const live = stash();
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(joinStash(live, lone)).toEqual({});
    expect(live.errors[0]?.message).toMatch(/no main LiveView/);
  });
});

describe("nested views", () => {
  function page() {
    const main = view("phx-main", { main: true });
    const child = document.createElement("div");
    child.id = "left";
    child.setAttribute("data-phx-session", "child-session");
    child.setAttribute("data-phx-parent-id", "phx-main");
    main.append(child);
    return { main, child };
  }

  it("hands a nested view its stash on the new element its parent's rejoin renders", () => {
    const { main, child } = page();
    const live = stash();
    joinStash(live, main);
    joinStash(live, child);
    push(EVENTS.stashState, { assigns: "left-token", view: "left" });
    // The parent rejoins and renders its child container anew.
    const rerendered = child.cloneNode() as HTMLElement;
    child.replaceWith(rerendered);
    expect(joinStash(live, rerendered)).toEqual({ stashedState: "left-token" });
  });

  it("does not hand it to a same-id nested view under a new root after live navigation", () => {
    const { main, child } = page();
    const live = stash();
    joinStash(live, main);
    joinStash(live, child);
    push(EVENTS.stashState, { assigns: "left-token", view: "left" });
    const nextMain = main.cloneNode() as HTMLElement;
    const nextChild = child.cloneNode() as HTMLElement;
    nextMain.append(nextChild);
    main.replaceWith(nextMain);
    expect(joinStash(live, nextMain)).toEqual({});
    expect(joinStash(live, nextChild)).toEqual({});
  });
});
