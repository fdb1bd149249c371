/**
 * Where a tab's snapshot is persisted. Any method may throw or reject (quota, SecurityError,
 * blocked IndexedDB); callers catch and fall back to memory.
 */
export interface StashStorage {
  /** The value stored under `key`, or null/undefined when there is none. */
  getItem(key: string): unknown | Promise<unknown>;
  /** Stores a snapshot (a plain, JSON-safe object) under `key`. */
  setItem(key: string, value: unknown): void | Promise<void>;
  /** Forgets `key`. */
  removeItem(key: string): void | Promise<void>;
  /** Lists every stored key, so snapshots of closed tabs can be swept. Shared storages only. */
  keys?(): string[] | Promise<string[]>;
}

/** The built-in storages, by name, for the `storage` option. */
export type StorageName = "memory" | "session" | "indexeddb";
