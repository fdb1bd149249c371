// `live-stash/inspector`: a small live panel of what live-stash holds for each view. Optional
// entry point, never imported by index.ts, so apps that do not mount it do not ship it.
// Only type imports from the core: the panel reads the public `entries()`/`subscribe()` API.
import type { LiveStash, StashEntryInfo } from "./live-stash.js";

export interface InspectorOptions {
  /** How often ages and expiries are redrawn, in milliseconds. Default 1,000. */
  intervalMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Heading of the panel. Default "live-stash". */
  title?: string;
}

const COLUMNS = ["View", "Mode", "Bytes", "Age", "Expires in", "Storage", "Restored"] as const;

/** "42 s", "3 min 5 s", "2 h 10 min": enough precision for a human watching a TTL. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

function cell(row: HTMLTableRowElement, text: string, name: string): void {
  const td = row.insertCell();
  td.dataset["col"] = name;
  // textContent only: view ids and paths come from the page and must never become markup.
  td.textContent = text;
}

function renderRow(body: HTMLTableSectionElement, entry: StashEntryInfo, now: number): void {
  const row = body.insertRow();
  row.dataset["view"] = entry.view;
  row.title = `path ${entry.path}`;
  cell(row, entry.main ? `${entry.view} (main)` : entry.view, "view");
  cell(row, entry.kind, "mode");
  cell(row, formatBytes(entry.bytes), "bytes");
  cell(row, formatDuration(now - entry.savedAt), "age");
  cell(row, entry.expiresAt <= now ? "expired" : formatDuration(entry.expiresAt - now), "expires");
  cell(row, entry.storage, "storage");
  cell(row, entry.restored ? "yes" : "no", "restored");
}

/**
 * Renders the panel into `target` (default `document.body`) and keeps it current: on every
 * stash change and once per `intervalMs` for the clocks. Returns a function that removes it.
 * The stash token is never read: `entries()` does not expose it.
 */
export function mountInspector(stash: LiveStash, target: HTMLElement = document.body, options: InspectorOptions = {}): () => void {
  const now = options.now ?? Date.now;
  const root = document.createElement("section");
  root.className = "live-stash-inspector";
  root.setAttribute("aria-label", "live-stash inspector");
  root.setAttribute("aria-live", "off");
  const heading = document.createElement("h2");
  heading.textContent = options.title ?? "live-stash";
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of COLUMNS) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  const empty = document.createElement("p");
  empty.className = "live-stash-inspector-empty";
  empty.textContent = "Nothing stashed.";
  root.append(heading, table, empty);
  target.append(root);

  const render = (): void => {
    const entries = stash.entries();
    const at = now();
    body.replaceChildren();
    for (const entry of entries) renderRow(body, entry, at);
    table.hidden = entries.length === 0;
    empty.hidden = entries.length > 0;
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
