import { entrySize } from "./entry.js";
import type { JoinState } from "./join.js";
import type { StashKind } from "./protocol.js";

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

/** Every entry this page holds, as `entries()` shows it. */
export function listEntries(state: JoinState, ttlMs: number, storage: string): StashEntryInfo[] {
  return state.mirror.list().map(([view, entry]) => {
    const { kind, savedAt, seenAt, path, main, leaseUntil } = entry;
    const restored = state.stored.has(view);
    return {
      view,
      kind,
      bytes: entrySize(entry),
      savedAt,
      seenAt,
      expiresAt: seenAt + ttlMs,
      leaseExpiresAt: leaseUntil,
      path,
      main,
      restored,
      storage,
    };
  });
}
