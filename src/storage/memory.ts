import type { StashStorage } from "../persistence/stash-storage.js";

/** Keeps snapshots for the life of the page only: enough for reconnects, not for reloads. */
export function memoryStorage(): StashStorage {
  const items = new Map<string, unknown>();
  return {
    getItem: (key) => items.get(key),
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}
