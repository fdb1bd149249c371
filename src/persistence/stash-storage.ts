/**
 * Where a tab's snapshot is persisted. Any method may throw or reject (quota, SecurityError,
 * blocked IndexedDB); callers catch and fall back to memory.
 */
export interface StashStorage {
  getItem(key: string): unknown | Promise<unknown>;
  setItem(key: string, value: unknown): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
  /** Lists every stored key, so snapshots of closed tabs can be swept. Shared storages only. */
  keys?(): string[] | Promise<string[]>;
}

export type StorageName = "memory" | "session" | "indexeddb";
