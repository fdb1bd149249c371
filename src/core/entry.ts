// What one view's stash looks like, in memory and inside a stored snapshot. The schema is the
// single source of truth: the type below is inferred from it.
import { STASH_KINDS, stashParamsSchema } from "./protocol.js";
import { z } from "./zod.js";

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
  /** When the server's lease on a browser token runs out, if it sent one with its ttl. */
  leaseUntil: z.optional(z.number()),
});
export type Entry = z.infer<typeof entrySchema>;

/** Rough size in bytes: what a stash costs in storage is almost all its token(s). */
export const entrySize = (entry: Entry): number => JSON.stringify(entry.params).length;

export const isExpired = (entry: Entry, now: number, ttlMs: number): boolean => now - entry.seenAt > ttlMs;
