// Where an entry's view is, seen from this page: the inspector shows this page's views first and
// the rest apart, because after a reload or a live navigation the old view ids stay stored.
import { CONNECTED_CLASS, VIEW_SELECTOR } from "../core/constants.js";
import type { StashEntryInfo } from "../index.js";

/** `connected`/`disconnected`: its view is on this page. `left`: same path, view gone. `elsewhere`: saved on another path. */
export type Place = "connected" | "disconnected" | "left" | "elsewhere";

export function placeOf(entry: StashEntryInfo, doc: Document = document): Place {
  const el = doc.getElementById(entry.view);
  if (el?.matches(VIEW_SELECTOR)) return el.classList.contains(CONNECTED_CLASS) ? "connected" : "disconnected";
  return entry.path === doc.location.pathname ? "left" : "elsewhere";
}

export const onThisPage = (place: Place): boolean => place === "connected" || place === "disconnected";
