// Turning the mirror into a stored snapshot and back. Reading is where stored garbage is caught:
// whatever fails its schema or has expired is left out and reported, never replayed.
import { SNAPSHOT_VERSION } from "../core/constants.js";
import { entrySchema, entrySize, isExpired, type Entry } from "../core/entry.js";
import type { Report } from "../core/errors.js";
import { isRecord } from "../core/guards.js";
import { z } from "../core/zod.js";

/**
 * Entries are checked one by one against `entrySchema`, so one corrupted entry does not take the
 * others with it. (A `z.record` here would cost the browser bundle 0.7 KB gzip for no extra check.)
 */
export const snapshotSchema = z.object({
  v: z.number().check(z.refine((v) => v === SNAPSHOT_VERSION)),
  savedAt: z.number(),
  entries: z.custom<Record<string, unknown>>(isRecord),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** The newest entries that fit in `maxBytes` (one too big skips, it does not stop the others). */
export function buildSnapshot(
  entries: Array<[string, Entry]>,
  now: number,
  maxBytes: number,
  report: Report,
): Snapshot | undefined {
  const kept: Record<string, Entry> = {};
  let bytes = 0;
  let any = false;
  for (const [id, entry] of [...entries].sort(([, a], [, b]) => b.savedAt - a.savedAt)) {
    const size = entrySize(entry);
    if (bytes + size > maxBytes) {
      report("budget", `stashes over ${maxBytes} bytes are kept in memory only`);
      continue;
    }
    bytes += size;
    kept[id] = entry;
    any = true;
  }
  return any ? { v: SNAPSHOT_VERSION, savedAt: now, entries: kept } : undefined;
}

export interface ReadResult {
  entries: Array<[string, Entry]>;
  /** Something stored was dropped: the stored copy should be rewritten without it. */
  dirty: boolean;
}

export function readSnapshot(raw: unknown, now: number, ttlMs: number, report: Report): ReadResult {
  if (raw === undefined || raw === null) return { entries: [], dirty: false };
  const snapshot = snapshotSchema.safeParse(raw);
  if (!snapshot.success) {
    report("stored", "dropped an unreadable stored snapshot");
    return { entries: [], dirty: true };
  }
  const entries: Array<[string, Entry]> = [];
  let dirty = false;
  for (const [id, value] of Object.entries(snapshot.data.entries)) {
    const entry = entrySchema.safeParse(value);
    if (!entry.success) report("stored", "dropped an unreadable stored entry");
    if (entry.success && !isExpired(entry.data, now, ttlMs)) entries.push([id, entry.data]);
    else dirty = true;
  }
  return { entries, dirty };
}
