import { describe, expect, it } from "vitest";
import { EVENTS } from "../src/core/protocol";
import { joinStash, navigationType, previousPage, push, stash, TOKEN, view } from "./helpers";

describe("full page reloads", () => {
  it("sends nothing after a reload by default: the server sees a new mount", () => {
    previousPage("phx-old");
    navigationType("reload");
    const main = view("phx-new", { main: true });
    expect(joinStash(stash(), main)).toEqual({});
  });

  it("replays the main view's stash, marked restored, after a reload when opted in", () => {
    previousPage("phx-old", { recoverAfterReload: true });
    navigationType("reload");
    // A real server renders the main view under a new random id on every page load.
    const main = view("phx-new", { main: true });
    const live = stash({ recoverAfterReload: true });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN, restored: true });
    // A retried first join gets it again; a push from the server makes it a live stash.
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN, restored: true });
    push(EVENTS.stashState, { assigns: "fresh" });
    expect(joinStash(live, main)).toEqual({ stashedState: "fresh" });
  });

  it("replays after a back/forward load too", () => {
    previousPage("phx-old", { recoverAfterReload: true });
    navigationType("back_forward");
    const main = view("phx-new", { main: true });
    expect(joinStash(stash({ recoverAfterReload: true }), main)).toEqual({ stashedState: TOKEN, restored: true });
  });

  it("never replays on a fresh navigation", () => {
    previousPage("phx-old", { recoverAfterReload: true });
    navigationType("navigate");
    const main = view("phx-new", { main: true });
    expect(joinStash(stash({ recoverAfterReload: true }), main)).toEqual({});
  });

  it("never replays on another path", () => {
    previousPage("phx-old", { recoverAfterReload: true });
    history.replaceState(null, "", "/elsewhere");
    navigationType("reload");
    const main = view("phx-new", { main: true });
    expect(joinStash(stash({ recoverAfterReload: true }), main)).toEqual({});
  });

  it("replays a nested view's stash by its stable id, and only to that view", () => {
    const side = view("side", {});
    const page = stash({ recoverAfterReload: true });
    joinStash(page, side);
    push(EVENTS.stashState, { assigns: "side-token", view: "side" });
    window.dispatchEvent(new Event("pagehide"));
    page.dispose();
    document.body.innerHTML = "";

    navigationType("reload");
    const main = view("phx-new", { main: true });
    const sideAgain = view("side");
    const live = stash({ recoverAfterReload: true });
    expect(joinStash(live, main)).toEqual({});
    expect(joinStash(live, sideAgain)).toEqual({ stashedState: "side-token", restored: true });
  });

  it("does not hand a replayed entry to a view that live navigation puts on the element later", () => {
    previousPage("phx-old", { recoverAfterReload: true });
    navigationType("reload");
    const live = stash({ recoverAfterReload: true });
    const main = view("phx-other", { main: true });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN, restored: true });
    const next = main.cloneNode() as HTMLElement;
    main.replaceWith(next);
    expect(joinStash(live, next)).toEqual({});
  });
});

describe("after a replayed view has joined", () => {
  it("sends later rejoins as plain reconnects, without `restored`", () => {
    previousPage("phx-old", { recoverAfterReload: true });
    navigationType("reload");
    const main = view("phx-new", { main: true, connected: false });
    const live = stash({ recoverAfterReload: true });
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN, restored: true });
    main.classList.add("phx-connected");
    window.dispatchEvent(new CustomEvent("phx:page-loading-stop", { detail: { kind: "initial" } }));
    expect(joinStash(live, main)).toEqual({ stashedState: TOKEN });
  });
});
