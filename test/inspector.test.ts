import { describe, expect, it, vi } from "vitest";
import { formatBytes, formatDuration, mountInspector } from "../src/inspector";
import { EVENTS } from "../src/protocol";
import { push, stash, TOKEN, view } from "./helpers";

const panel = () => document.querySelector<HTMLElement>(".live-stash-inspector");
const rows = () => Array.from(document.querySelectorAll<HTMLTableRowElement>(".live-stash-inspector tbody tr"));
const col = (row: HTMLTableRowElement | undefined, name: string) => row?.querySelector(`[data-col="${name}"]`)?.textContent;

describe("inspector", () => {
  it("shows an empty state until something is stashed", () => {
    mountInspector(stash());
    expect(panel()?.querySelector<HTMLElement>(".live-stash-inspector-empty")?.hidden).toBe(false);
    expect(panel()?.querySelector("table")?.hidden).toBe(true);
  });

  it("lists each view's entry live, without the token", () => {
    view("phx-main", { main: true });
    view("side");
    const live = stash({ storage: "session", ttl: 60 });
    mountInspector(live);
    push(EVENTS.stashState, { assigns: TOKEN, view: "phx-main" });
    push(EVENTS.initEts, { node: "node-hint", stashId: "row-id", view: "side" });

    const [main, side] = rows();
    expect(rows()).toHaveLength(2);
    expect(col(main, "view")).toBe("phx-main (main)");
    expect(col(main, "mode")).toBe("browser");
    expect(col(main, "bytes")).toMatch(/^\d+ B$/);
    expect(col(main, "expires")).toMatch(/^(59|60) s$/);
    expect(col(main, "storage")).toBe("session");
    expect(col(main, "restored")).toBe("no");
    expect(col(side, "view")).toBe("side");
    expect(col(side, "mode")).toBe("ets");
    const text = panel()?.textContent ?? "";
    for (const secret of [TOKEN, "row-id", "node-hint"]) expect(text).not.toContain(secret);

    push(EVENTS.initBrowserMemory, { view: "phx-main" });
    expect(rows().map((row) => row.dataset["view"])).toEqual(["side"]);
  });

  it("advances ages and expiries once a second", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    view("phx-main", { main: true });
    const live = stash({ ttl: 10 });
    mountInspector(live);
    push(EVENTS.stashState, { assigns: TOKEN });
    expect(col(rows()[0], "age")).toBe("0 s");
    vi.advanceTimersByTime(3000);
    expect(col(rows()[0], "age")).toBe("3 s");
  });

  it("renders view ids as text, never as markup", () => {
    const id = '<img src=x onerror="alert(1)">';
    view(id);
    const live = stash();
    mountInspector(live);
    push(EVENTS.stashState, { assigns: TOKEN, view: id });
    expect(col(rows()[0], "view")).toBe(id);
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
