// IndexedDB is shared by every tab of an origin, so a tab keys its snapshot by an id kept in its
// own sessionStorage. A duplicated tab copies sessionStorage, id included: the copy must notice
// and take a new id, or two live tabs would read and overwrite each other's stashes.
import { JOURNAL_PREFIX, SNAPSHOT_PREFIX, TAB_KEY } from "../core/constants.js";
import { z } from "../core/zod.js";

const tabSchema = z.object({ id: z.string(), live: z.boolean() });

function newTabId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function readTab(storage: Storage): z.infer<typeof tabSchema> | undefined {
  try {
    const parsed = tabSchema.safeParse(JSON.parse(storage.getItem(TAB_KEY) ?? "null"));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The id is still marked live when a page starts only if another page holds it: this one is a
 * duplicate. A reload or a back/forward load follows a `pagehide` that marked it free. A discarded
 * tab never ran `pagehide`, so its restore keeps the id too.
 */
export function claimTab(storage: Storage | undefined, wasDiscarded: boolean) {
  const previous = storage && readTab(storage);
  const reuse = previous !== undefined && (!previous.live || wasDiscarded);
  const id = reuse ? previous.id : newTabId();
  if (previous && !reuse) forgetCopies(storage, previous.id);
  markTab(storage, id, true);
  return id;
}

/** A duplicate's sessionStorage holds copies of the original's snapshot and journal: not ours. */
function forgetCopies(storage: Storage | undefined, originalId: string): void {
  try {
    storage?.removeItem(SNAPSHOT_PREFIX + originalId);
    storage?.removeItem(JOURNAL_PREFIX + originalId);
  } catch {
    // Nothing to clean where sessionStorage is off limits.
  }
}

export function markTab(storage: Storage | undefined, id: string, live: boolean): void {
  try {
    storage?.setItem(TAB_KEY, JSON.stringify({ id, live }));
  } catch {
    // Without sessionStorage a tab is simply a new tab on every load.
  }
}
