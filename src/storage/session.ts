import type { StashStorage } from "./types";

/** sessionStorage is per tab and survives reloads; values are stored as JSON text. */
export function sessionStorageBackend(storage: Storage = window.sessionStorage): StashStorage {
  return {
    getItem: (key) => {
      const text = storage.getItem(key);
      return text === null ? undefined : (JSON.parse(text) as unknown);
    },
    setItem: (key, value) => storage.setItem(key, JSON.stringify(value)),
    removeItem: (key) => storage.removeItem(key),
  };
}
