// One entry of the inspector, in words: what is held for a view, how long it lasts, and (for a
// view not on this page) why it is still listed. One line per fact, so a fact is one line to add.
import type { StashEntryInfo } from "../index.js";
import { formatBytes, formatDuration } from "./format.js";
import { onThisPage, type Place } from "./place.js";

function fact(line: HTMLElement, name: string, text: string): void {
  const span = document.createElement("span");
  span.dataset["fact"] = name;
  // textContent only: view ids and paths come from the page and must never become markup.
  span.textContent = text;
  if (line.childElementCount > 0) line.append(" · ");
  line.append(span);
}

function line(item: HTMLElement): HTMLElement {
  const p = document.createElement("p");
  item.append(p);
  return p;
}

function expiry(entry: StashEntryInfo, place: Place, now: number): string {
  // While its view is connected the server refreshes the stash and the client its TTL: a
  // countdown would only jump back up.
  if (place === "connected") return "kept alive while connected";
  return entry.expiresAt <= now ? "expired" : `expires in ${formatDuration(entry.expiresAt - now)}`;
}

// Only our server leases a browser token; elsewhere there is nothing to show.
function lease(entry: StashEntryInfo, now: number): string | undefined {
  const at = entry.leaseExpiresAt;
  if (at === undefined) return undefined;
  return at <= now ? "lease expired" : `lease ends in ${formatDuration(at - now)}`;
}

function origin(entry: StashEntryInfo, place: Place): string | undefined {
  if (onThisPage(place))
    return entry.restored ? "read back after the reload; this view has not joined with it yet" : undefined;
  if (entry.restored) return `from before the reload (on ${entry.path}): no view here has its id`;
  return place === "left" ? "its view has left this page" : `saved on ${entry.path}`;
}

export function renderEntry(list: HTMLElement, entry: StashEntryInfo, place: Place, now: number): void {
  const item = document.createElement("li");
  item.dataset["view"] = entry.view;
  item.dataset["place"] = place;
  const main = onThisPage(place) ? " (main view)" : " (was a main view)";
  fact(line(item), "view", entry.main ? entry.view + main : entry.view);
  const what = line(item);
  fact(what, "mode", entry.kind);
  fact(what, "bytes", formatBytes(entry.bytes));
  fact(what, "storage", entry.storage);
  const when = line(item);
  fact(when, "age", `saved ${formatDuration(now - entry.savedAt)} ago`);
  fact(when, "expires", expiry(entry, place, now));
  const leased = lease(entry, now);
  if (leased) fact(when, "lease", leased);
  const why = origin(entry, place);
  if (why) fact(line(item), "origin", why);
  list.append(item);
}
