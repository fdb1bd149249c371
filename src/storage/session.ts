import type { StashStorage } from "../persistence/stash-storage.js";

/** sessionStorage is per tab and survives reloads; values are stored as JSON text. */
export function sessionStorageBackend(storage: Storage = window.sessionStorage): StashStorage {
  return {
    getItem: (key) => {
      const text = storage.getItem(key);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // Not JSON: hand the text on so the snapshot check rejects it and it gets deleted.
        return text;
      }
    },
    setItem: (key, value) => storage.setItem(key, JSON.stringify(value)),
    removeItem: (key) => storage.removeItem(key),
  };
}
