// What one view's stash looks like in memory and at rest. The schemas are the single source of
// truth: the types below are inferred from them.
import { SNAPSHOT_VERSION } from "./constants";
import { STASH_KINDS, stashParamsSchema } from "./protocol";
import { z } from "./zod";

export const entrySchema = z.object({
  kind: z.enum(STASH_KINDS),
  params: stashParamsSchema,
  /** When the server last pushed this stash. */
  savedAt: z.number(),
  /** When its view was last seen connected; expiry counts from here, like the server's keep-alive. */
  seenAt: z.number(),
  /** `location.pathname` when it was saved: a reload replays it only on the same path. */
  path: z.string(),
  /** Saved by the page's main view, whose DOM id changes on every full page load. */
  main: z.boolean(),
});
export type Entry = z.infer<typeof entrySchema>;

/** Entries are checked one by one, so one corrupted entry does not take the others with it. */
export const snapshotSchema = z.object({
  v: z.literal(SNAPSHOT_VERSION),
  savedAt: z.number(),
  entries: z.record(z.string(), z.unknown()),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** Rough size in bytes: what a stash costs in storage is almost all its token. */
export const entrySize = (entry: Entry): number => JSON.stringify(entry.params).length;
