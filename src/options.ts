import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, DEFAULT_TTL_SECONDS } from "./core/constants.js";
import { LiveStashError, type ErrorHandler } from "./core/errors.js";
import type { StashStorage } from "./persistence/stash-storage.js";
import { z } from "./core/zod.js";

const isStorage = (value: unknown): value is StashStorage =>
  typeof value === "object" &&
  value !== null &&
  ["getItem", "setItem", "removeItem"].every(
    (method) => typeof (value as Record<string, unknown>)[method] === "function",
  );

// A refine rather than z.positive(): the same check, without bundling zod's numeric-bound checks.
const isPositive = () => z.refine<number>((n) => n > 0);
const positive = () => z.optional(z.number().check(isPositive()));

export const optionsSchema = z.object({
  /** Where stashes are kept between page loads. Default `"session"`. */
  storage: z.optional(z.union([z.enum(["memory", "session", "indexeddb"]), z.custom<StashStorage>(isStorage)])),
  /** Seconds an entry stays replayable after its view was last seen. Default 300, as the server. */
  ttl: positive(),
  /** Replay stashes after a reload, back/forward restore or tab discard, on the same path. */
  recoverAfterReload: z.optional(z.boolean()),
  /** Entries kept per tab; the oldest saved is evicted first. Default 32. */
  maxEntries: z.optional(z.number().check(isPositive(), z.refine(Number.isInteger))),
  /** Stored size per tab; what does not fit stays in memory (reconnects still work) and is reported. Default 3 MiB. */
  maxBytes: positive(),
  /** Called with each kind of failure once. Default: one `console.warn`. */
  onError: z.optional(z.custom<ErrorHandler>((value) => typeof value === "function")),
});

/**
 * The second argument of `initLiveStash` and `createLiveStash`. Inferred from the schema that
 * checks it at start-up.
 * @interface
 */
export type LiveStashOptions = z.input<typeof optionsSchema>;
export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** Options are the developer's input: a mistake throws at start-up with what to fix. */
export function resolveOptions(input: unknown = {}) {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "options");
    throw new LiveStashError("options", `invalid option(s): ${fields.join(", ")}`);
  }
  const options = parsed.data;
  return {
    storage: options.storage ?? "session",
    ttlMs: (options.ttl ?? DEFAULT_TTL_SECONDS) * 1000,
    recoverAfterReload: options.recoverAfterReload ?? false,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    onError: options.onError,
  };
}
