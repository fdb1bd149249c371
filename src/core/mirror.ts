import type { Entry } from "./entry.js";

/** The in-memory copy of a tab's entries, one per view, capped with the oldest evicted first. */
export function createMirror(maxEntries: number) {
  const entries = new Map<string, Entry>();

  const evictOldest = () => {
    let oldest: string | undefined;
    for (const [id, entry] of entries) {
      if (oldest === undefined || entry.savedAt < entries.get(oldest)!.savedAt) oldest = id;
    }
    if (oldest !== undefined) entries.delete(oldest);
  };

  return {
    get: (id: string) => entries.get(id),
    has: (id: string) => entries.has(id),
    set(id: string, entry: Entry) {
      entries.set(id, entry);
      while (entries.size > maxEntries) evictOldest();
    },
    delete: (id: string) => entries.delete(id),
    clear: () => entries.clear(),
    list: (): Array<[string, Entry]> => [...entries],
  };
}

export type Mirror = ReturnType<typeof createMirror>;
