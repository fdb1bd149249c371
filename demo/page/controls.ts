// The demo's control panel: ways to lose the connection that a person can click, and links
// to the index and the page's plain twin. Lives outside the LiveView containers, so
// LiveView's DOM patching never touches it.
import type { LiveSocket } from "phoenix_live_view";
import { findPage } from "../catalog";

/** Supervisor endpoint (demo/supervisor.ts): kills the server process and starts it again. */
export const RESTART_PATH = "/__demo/restart";

interface TransportLike {
  close(code: number, reason: string): void;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

export function mountControls(liveSocket: LiveSocket, target: HTMLElement): void {
  const status = document.createElement("p");
  status.className = "demo-status";
  // A note about an outage (e.g. "dropped") goes once the socket is back, but not before a
  // person could read it: Phoenix often reconnects within a few milliseconds.
  const READABLE_MS = 1500;
  let clearWhenBackAt: number | undefined;
  const say = (text: string, untilReconnected = false) => {
    status.dataset["note"] = text;
    clearWhenBackAt = untilReconnected ? Date.now() + READABLE_MS : undefined;
  };
  const paint = () => {
    const connected = liveSocket.isConnected();
    if (connected && clearWhenBackAt !== undefined && Date.now() >= clearWhenBackAt) say("");
    const state = connected ? "connected" : "disconnected";
    status.textContent = `socket: ${state}${status.dataset["note"] ? ` — ${status.dataset["note"]}` : ""}`;
    status.classList.toggle("down", state !== "connected");
  };
  setInterval(paint, 200);

  // An abrupt, unclean close (as a network blip gives): Phoenix reconnects on its own and
  // LiveView rejoins with _mounts > 0. A clean 1000 close would make LiveView reload the page.
  const drop = button("Drop socket", () => {
    const conn = (liveSocket.getSocket() as unknown as { conn?: TransportLike }).conn;
    conn?.close(4000, "dropped by the demo");
    say("dropped; Phoenix reconnects by itself", true);
  });

  const restart = button("Kill & restart server", () => {
    say("server killed, restarting…");
    restart.disabled = true;
    fetch(RESTART_PATH, { method: "POST" })
      .then((r) => r.json() as Promise<{ downMs: number; restartMs: number }>)
      .then((r) => say(`server restarted (down ${((r.downMs + r.restartMs) / 1000).toFixed(1)} s)`))
      .catch(() => say("restart failed: is `npm start` still running?"))
      .finally(() => (restart.disabled = false));
  });

  const seconds = document.createElement("input");
  seconds.type = "number";
  seconds.min = "1";
  seconds.max = "120";
  seconds.value = "5";
  seconds.setAttribute("aria-label", "Offline seconds");
  const offline = button("Go offline", () => {
    const n = Math.min(120, Math.max(1, Number(seconds.value) || 5));
    offline.disabled = true;
    liveSocket.disconnect();
    let left = n;
    say(`offline, back in ${left} s`);
    const tick = setInterval(() => {
      left -= 1;
      if (left > 0) return say(`offline, back in ${left} s`);
      clearInterval(tick);
      liveSocket.connect();
      offline.disabled = false;
      say("back online");
    }, 1000);
  });
  const offlineGroup = document.createElement("span");
  offlineGroup.append(offline, " for ", seconds, " s");

  const reload = button("Reload page", () => location.reload());

  const nav = document.createElement("nav");
  nav.append(link("/", "← all demos"));
  const here = findPage(location.pathname, location.search);
  if (here)
    nav.append(
      " · ",
      here.isTwin ? link(here.page.href, "with live-stash →") : link(here.page.twin, "plain twin (no stash) →"),
    );
  if (here?.page.note && !here.isTwin) {
    const note = document.createElement("p");
    note.className = "demo-note";
    note.textContent = here.page.note;
    nav.append(note);
  }

  const row = document.createElement("div");
  row.className = "demo-buttons";
  row.append(drop, restart, offlineGroup, reload);
  target.append(nav, row, status);
  paint();
}
