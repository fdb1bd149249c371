import { entrySize } from "./entry.js";
import type { JoinState } from "./join.js";
import type { StashKind } from "./protocol.js";

/** What the inspector may show of an entry: never the token itself. */
export interface StashEntryInfo {
  view: string;
  kind: StashKind;
  bytes: number;
  savedAt: number;
  seenAt: number;
  expiresAt: number;
  /** When the server's lease on this browser token runs out (our server only). */
  leaseExpiresAt: number | undefined;
  path: string;
  main: boolean;
  /** Came from storage on this page load and has not been replaced or joined since. */
  restored: boolean;
  storage: string;
}

/** Every entry this page holds, as `entries()` shows it. */
export function listEntries(state: JoinState, ttlMs: number, storage: string): StashEntryInfo[] {
  return state.mirror.list().map(([view, entry]) => {
    const { kind, savedAt, seenAt, path, main, leaseUntil } = entry;
    const restored = state.stored.has(view);
    return { view, kind, bytes: entrySize(entry), savedAt, seenAt, expiresAt: seenAt + ttlMs, leaseExpiresAt: leaseUntil, path, main, restored, storage };
  });
}
