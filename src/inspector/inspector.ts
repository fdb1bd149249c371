/**
 * A small live panel of what live-stash holds for each view, for development pages.
 * @module live-stash/inspector
 */
// Optional entry point, never imported by index.ts, so apps that do not mount it do not ship it.
// It reads the public `entries()`/`subscribe()` API; what it may import is in README.md.
import type { LiveStash, StashEntryInfo } from "../index.js";
import { renderEntry } from "./entry.js";
import { onThisPage, placeOf, type Place } from "./place.js";

export { formatBytes, formatDuration } from "./format.js";

/** The third argument of `mountInspector`. */
export interface InspectorOptions {
  /** How often ages and expiries are redrawn, in milliseconds. Default 1,000. */
  intervalMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Heading of the panel. Default "live-stash". */
  title?: string;
}

interface Group {
  heading: HTMLElement;
  list: HTMLUListElement;
}

function group(root: HTMLElement, name: string, title: string): Group {
  const heading = document.createElement("h3");
  heading.textContent = title;
  const list = document.createElement("ul");
  list.className = `live-stash-inspector-${name}`;
  root.append(heading, list);
  return { heading, list };
}

function fill({ heading, list }: Group, entries: readonly (readonly [StashEntryInfo, Place])[], now: number): void {
  list.replaceChildren();
  for (const [entry, place] of entries) renderEntry(list, entry, place, now);
  heading.hidden = list.hidden = entries.length === 0;
}

/**
 * Renders the panel into `target` (default `document.body`) and keeps it current: on every
 * stash change and once per `intervalMs` for the clocks. This page's views come first; entries
 * of other pages, of views that left, or of an earlier load are listed apart. Returns a
 * function that removes the panel. The stash token is never read: `entries()` does not expose it.
 */
export function mountInspector(
  stash: LiveStash,
  target: HTMLElement = document.body,
  options: InspectorOptions = {},
): () => void {
  const now = options.now ?? Date.now;
  const root = document.createElement("section");
  root.className = "live-stash-inspector";
  root.setAttribute("aria-label", "live-stash inspector");
  root.setAttribute("aria-live", "off");
  const heading = document.createElement("h2");
  heading.textContent = options.title ?? "live-stash";
  root.append(heading);
  const here = group(root, "here", "On this page");
  const apart = group(root, "apart", "Not on this page (other pages, views that left, earlier loads)");
  const empty = document.createElement("p");
  empty.className = "live-stash-inspector-empty";
  empty.textContent = "Nothing stashed.";
  root.append(empty);
  target.append(root);

  const render = (): void => {
    const placed = stash.entries().map((entry) => [entry, placeOf(entry)] as const);
    const at = now();
    fill(
      here,
      placed.filter(([, place]) => onThisPage(place)),
      at,
    );
    fill(
      apart,
      placed.filter(([, place]) => !onThisPage(place)),
      at,
    );
    empty.hidden = placed.length > 0;
  };

  render();
  const unsubscribe = stash.subscribe(render);
  const timer = setInterval(render, options.intervalMs ?? 1000);
  return () => {
    clearInterval(timer);
    unsubscribe();
    root.remove();
  };
}
