import type { StashKind } from "./protocol.js";
import { entrySize, type Entry } from "./record.js";

/** What the inspector may show of an entry: never the token itself. */
export interface StashEntryInfo {
  /** DOM id of the LiveView the stash belongs to. */
  view: string;
  /** The server mode that made it. */
  kind: StashKind;
  /** Its size in storage, roughly: its params as JSON. */
  bytes: number;
  /** When the server last pushed it, in ms since the epoch. */
  savedAt: number;
  /** When its view was last seen connected: expiry counts from here. */
  seenAt: number;
  /** When it stops being replayed: `seenAt` plus the TTL. */
  expiresAt: number;
  /** When the server's lease on this browser token runs out (our server only). */
  leaseExpiresAt: number | undefined;
  /** `location.pathname` where it was saved: a reload replays it only there. */
  path: string;
  /** Saved by the page's main view. */
  main: boolean;
  /** Came from storage on this page load and has not been replaced or joined since. */
  restored: boolean;
  /** Where it is kept: `"memory"`, `"session"`, `"indexeddb"` or `"custom"`. */
  storage: string;
}

export function entryInfo(view: string, entry: Entry, ttlMs: number, restored: boolean, storage: string): StashEntryInfo {
  const { kind, savedAt, seenAt, path, main, leaseUntil } = entry;
  return { view, kind, bytes: entrySize(entry), savedAt, seenAt, expiresAt: seenAt + ttlMs, leaseExpiresAt: leaseUntil, path, main, restored, storage };
}
