// The wire contract with the server: event names, payload shapes and connect-param keys.
// Names live here and nowhere else; contract/live-stash.contract.json pins them for both sides.
import { z } from "./zod";

/** Prefix LiveView puts before every `push_event` name when it dispatches it on window. */
export const WINDOW_EVENT_PREFIX = "phx:";

export const EVENTS = {
  initBrowserMemory: "live-stash:init-browser-memory",
  stashState: "live-stash:stash-state",
  initEts: "live-stash:init-ets",
  initRedis: "live-stash:init-redis",
  initMnesia: "live-stash:init-mnesia",
} as const;

export type StashEventName = (typeof EVENTS)[keyof typeof EVENTS];

/** The key of the join params object the server reads with `get_connect_params(socket)`. */
export const PARAM_KEY = "liveStash";

/** Marks a stash replayed after a full page reload; the server accepts it only where the view opts in. */
export const RESTORED_KEY = "restored";

const view = z.optional(z.string().check(z.minLength(1), z.maxLength(256)));

/** Payloads as the server pushes them. `view` is ours; the official server omits it (main view). */
export const payloadSchemas = {
  [EVENTS.initBrowserMemory]: z.looseObject({ view }),
  [EVENTS.stashState]: z.looseObject({ assigns: z.string().check(z.minLength(1)), view }),
  [EVENTS.initEts]: z.looseObject({
    node: z.string().check(z.minLength(1)),
    stashId: z.string().check(z.minLength(1)),
    view,
  }),
  [EVENTS.initRedis]: z.looseObject({ stashId: z.string().check(z.minLength(1)), view }),
  [EVENTS.initMnesia]: z.looseObject({ stashId: z.string().check(z.minLength(1)), view }),
} as const;

/** What one view's entry hands back in its join params, one of the official shapes. */
export const stashParamsSchema = z.union([
  z.strictObject({ stashedState: z.string() }),
  z.strictObject({ node: z.string(), stashId: z.string() }),
  z.strictObject({ stashId: z.string() }),
]);
export type StashParams = z.infer<typeof stashParamsSchema>;

/** The storage-independent kind of stash a server mode produces. */
export const STASH_KINDS = ["browser", "ets", "redis", "mnesia"] as const;
export type StashKind = (typeof STASH_KINDS)[number];
