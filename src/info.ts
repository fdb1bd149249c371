import type { StashKind } from "./protocol.js";
import { entrySize, type Entry } from "./record.js";

/** What the inspector may show of an entry: never the token itself. */
export interface StashEntryInfo {
  view: string;
  kind: StashKind;
  bytes: number;
  savedAt: number;
  seenAt: number;
  expiresAt: number;
  path: string;
  main: boolean;
  /** Came from storage on this page load and has not been replaced or joined since. */
  restored: boolean;
  storage: string;
}

export function entryInfo(view: string, entry: Entry, ttlMs: number, restored: boolean, storage: string): StashEntryInfo {
  const { kind, savedAt, seenAt, path, main } = entry;
  return { view, kind, bytes: entrySize(entry), savedAt, seenAt, expiresAt: seenAt + ttlMs, path, main, restored, storage };
}
