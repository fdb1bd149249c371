import { expect, vi } from "vitest";
import {
  createLiveStash,
  type LiveStash,
  type LiveStashError,
  type LiveStashOptions,
  type ParamsInput,
} from "../src/index";
import { ACCEPT_KEY, EVENTS, KEYED_CAPABILITY, PARAM_KEY, WINDOW_EVENT_PREFIX } from "../src/core/protocol";

const live: LiveStash[] = [];

/** A LiveStash that the test teardown disposes, with errors collected instead of warned. */
export function stash(options: LiveStashOptions = {}, params: ParamsInput = { _csrf_token: "csrf" }) {
  const errors: LiveStashError[] = [];
  const instance = createLiveStash(params, { onError: (error) => errors.push(error), ...options });
  live.push(instance);
  return Object.assign(instance, { errors });
}

export function disposeAll(): void {
  for (const instance of live.splice(0)) instance.dispose();
}

/** Puts a LiveView root container on the page, as the dead render does. */
export function view(id: string, { main = false, connected = true } = {}): HTMLElement {
  const el = document.createElement("div");
  el.id = id;
  el.setAttribute("data-phx-session", "session-token");
  if (main) el.setAttribute("data-phx-main", "");
  if (connected) el.classList.add("phx-connected");
  document.body.append(el);
  return el;
}

/** What LiveView does with `push_event(socket, name, payload)`. */
export function push(name: string, detail: unknown): void {
  window.dispatchEvent(new CustomEvent(WINDOW_EVENT_PREFIX + name, { detail, bubbles: true, cancelable: true }));
}

export function navigationType(type: "navigate" | "reload" | "back_forward"): void {
  vi.spyOn(performance, "getEntriesByType").mockReturnValue([{ type } as unknown as PerformanceEntry]);
}

/**
 * The join params LiveView would send for `el`, stash part only. Every view's join announces the
 * keyed capability whatever it holds, so every test's join checks that too.
 */
export function joinStash(instance: LiveStash, el: HTMLElement): Record<string, unknown> {
  const { [ACCEPT_KEY]: accept, ...held } = instance.params(el)[PARAM_KEY] as Record<string, unknown>;
  expect(accept).toEqual([KEYED_CAPABILITY]);
  return held;
}

export const TOKEN = "SFMyNTY.g2gDbQAAAC-token.signature";

/**
 * One page life before a reload: the main view `id` joins and gets a stash (then `more()` runs,
 * e.g. another push), and the page unloads, writing it at pagehide.
 */
export function previousPage(id: string, options: LiveStashOptions = {}, more: () => void = () => {}): void {
  const el = view(id, { main: true });
  const page = stash(options);
  joinStash(page, el);
  push(EVENTS.stashState, { assigns: TOKEN });
  more();
  window.dispatchEvent(new Event("pagehide"));
  page.dispose();
  document.body.innerHTML = "";
}
