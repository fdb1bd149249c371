import type { StashKind } from "./protocol.js";
import { entrySize, type Entry } from "./entry.js";

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

export function entryInfo(view: string, entry: Entry, ttlMs: number, restored: boolean, storage: string): StashEntryInfo {
  const { kind, savedAt, seenAt, path, main, leaseUntil } = entry;
  return { view, kind, bytes: entrySize(entry), savedAt, seenAt, expiresAt: seenAt + ttlMs, leaseExpiresAt: leaseUntil, path, main, restored, storage };
}
