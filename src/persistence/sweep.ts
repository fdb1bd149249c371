import { SNAPSHOT_PREFIX } from "../core/constants.js";
import type { StashStorage } from "./stash-storage.js";

/**
 * A shared storage (IndexedDB) collects one snapshot per tab ever opened. Snapshots untouched for
 * longer than the ttl belong to closed tabs (a live tab refreshes its own while its views live).
 */
export async function sweepStaleSnapshots(
  storage: StashStorage,
  ownKey: string,
  now: number,
  ttlMs: number,
): Promise<void> {
  if (!storage.keys) return;
  for (const key of await storage.keys()) {
    if (!key.startsWith(SNAPSHOT_PREFIX) || key === ownKey) continue;
    const savedAt = ((await storage.getItem(key)) as { savedAt?: unknown } | undefined)?.savedAt;
    if (typeof savedAt !== "number" || now - savedAt > ttlMs) await storage.removeItem(key);
  }
}
