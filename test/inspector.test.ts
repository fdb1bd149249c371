import { describe, expect, it, vi } from "vitest";
import { formatBytes, formatDuration, mountInspector } from "../src/inspector/inspector";
import { EVENTS } from "../src/core/protocol";
import { navigationType, previousPage, push, stash, TOKEN, view } from "./helpers";

const panel = () => document.querySelector<HTMLElement>(".live-stash-inspector");
const items = (group: "here" | "apart") =>
  Array.from(document.querySelectorAll<HTMLLIElement>(`.live-stash-inspector-${group} > li`));
const fact = (item: HTMLElement | undefined, name: string) => item?.querySelector(`[data-fact="${name}"]`)?.textContent;
const heading = (group: "here" | "apart") =>
  document.querySelector<HTMLElement>(`.live-stash-inspector-${group}`)?.previousElementSibling as HTMLElement;

describe("inspector", () => {
  it("shows an empty state until something is stashed", () => {
    mountInspector(stash());
    expect(panel()?.querySelector<HTMLElement>(".live-stash-inspector-empty")?.hidden).toBe(false);
    expect(heading("here").hidden).toBe(true);
    expect(heading("apart").hidden).toBe(true);
  });

  it("lists each view's entry on this page live, without the token", () => {
    view("phx-main", { main: true });
    view("side");
    const live = stash({ storage: "session", ttl: 60 });
    mountInspector(live);
    push(EVENTS.stashState, { assigns: TOKEN, view: "phx-main" });
    push(EVENTS.initEts, { node: "node-hint", stashId: "row-id", view: "side" });

    const [main, side] = items("here");
    expect(items("here")).toHaveLength(2);
    expect(heading("here").textContent).toBe("On this page");
    expect(fact(main, "view")).toBe("phx-main (main view)");
    expect(fact(main, "mode")).toBe("browser");
    expect(fact(main, "bytes")).toMatch(/^\d+ B$/);
    expect(fact(main, "storage")).toBe("session");
    expect(fact(main, "origin")).toBeUndefined();
    expect(fact(side, "view")).toBe("side");
    expect(fact(side, "mode")).toBe("ets");
    const text = panel()?.textContent ?? "";
    for (const secret of [TOKEN, "row-id", "node-hint"]) expect(text).not.toContain(secret);

    push(EVENTS.initBrowserMemory, { view: "phx-main" });
    expect(items("here").map((item) => item.dataset["view"])).toEqual(["side"]);
  });

  it("says a connected view's stash is kept alive, and counts down only once it is not", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const main = view("phx-main", { main: true });
    mountInspector(stash({ ttl: 10 }));
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(fact(items("here")[0], "expires")).toBe("kept alive while connected");
    main.classList.remove("phx-connected");
    vi.advanceTimersByTime(3000);
    expect(fact(items("here")[0], "age")).toBe("saved 3 s ago");
    expect(fact(items("here")[0], "expires")).toBe("expires in 7 s");
  });

  it("after a reload, lists the old view's entry apart, in words, not as a second main view", () => {
    previousPage("phx-old", { recoverAfterReload: true });
    navigationType("reload");
    view("phx-new", { main: true });
    mountInspector(stash({ recoverAfterReload: true }));

    expect(items("here")).toHaveLength(0);
    const [old] = items("apart");
    expect(heading("apart").hidden).toBe(false);
    expect(heading("apart").textContent).toMatch(/^Not on this page/);
    expect(fact(old, "view")).toBe("phx-old (was a main view)");
    expect(fact(old, "origin")).toBe("from before the reload (on /counter): no view here has its id");
  });

  it("tells entries of other pages and of views that left apart from this page's", () => {
    vi.useFakeTimers();
    view("side");
    const live = stash();
    mountInspector(live);
    push(EVENTS.stashState, { assigns: TOKEN, view: "side" });
    document.getElementById("side")?.remove();
    history.replaceState(null, "", "/game");
    view("board");
    push(EVENTS.stashState, { assigns: TOKEN, view: "board" });
    history.replaceState(null, "", "/counter");
    view("gone-here");
    push(EVENTS.stashState, { assigns: TOKEN, view: "gone-here" });
    document.getElementById("gone-here")?.remove();
    document.getElementById("board")?.remove();
    vi.advanceTimersByTime(1000);
    const origins = Object.fromEntries(items("apart").map((item) => [item.dataset["view"], fact(item, "origin")]));
    expect(origins).toEqual({
      side: "its view has left this page",
      board: "saved on /game",
      "gone-here": "its view has left this page",
    });
  });

  it("renders view ids as text, never as markup", () => {
    const id = '<img src=x onerror="alert(1)">';
    view(id);
    const live = stash();
    mountInspector(live);
    push(EVENTS.stashState, { assigns: TOKEN, view: id });
    expect(fact(items("here")[0], "view")).toBe(id);
    expect(panel()?.querySelector("img")).toBeNull();
  });

  it("unmounts: panel removed, no more updates", () => {
    const live = stash();
    const listener = vi.spyOn(live, "entries");
    const unmount = mountInspector(live, document.body, { intervalMs: 10 });
    unmount();
    expect(panel()).toBeNull();
    const calls = listener.mock.calls.length;
    view("side");
    push(EVENTS.stashState, { assigns: TOKEN, view: "side" });
    expect(listener.mock.calls.length).toBe(calls);
  });

  it("formats durations and sizes for people", () => {
    expect(formatDuration(-5)).toBe("0 s");
    expect(formatDuration(65_000)).toBe("1 min 5 s");
    expect(formatDuration(2 * 3600_000 + 600_000)).toBe("2 h 10 min");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(1024 * 1024 * 1.5)).toBe("1.50 MB");
  });
});
