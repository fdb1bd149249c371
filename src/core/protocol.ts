// The wire contract with the server: event names, payload shapes and connect-param keys.
// Names live here and nowhere else; contract/live-stash.contract.json pins them for both sides.
import { isStringArray, isStringRecord } from "./guards.js";
import { z } from "./zod.js";

/** Prefix LiveView puts before every `push_event` name when it dispatches it on window. */
export const WINDOW_EVENT_PREFIX = "phx:";

/** The `push_event` names the server sends, the official library's plus our lease. */
export const EVENTS = {
  /** BrowserMemory mode, a fresh mount, reset or failed recovery: drop the view's stash. */
  initBrowserMemory: "live-stash:init-browser-memory",
  /** BrowserMemory mode: the stash itself, a signed or encrypted token. */
  stashState: "live-stash:stash-state",
  /** ETS mode: the stash id and an encrypted node hint. */
  initEts: "live-stash:init-ets",
  /** Redis mode: the stash id. */
  initRedis: "live-stash:init-redis",
  /** Mnesia mode: the stash id. */
  initMnesia: "live-stash:init-mnesia",
  /** Our server's keep-alive for a browser token the client already holds; the official server never sends it. */
  lease: "live-stash:lease",
  /**
   * Our server's per-key stash, sent only to a client that accepts `keys`: a new manifest, the
   * tokens of the keys that changed, and the names of all current keys. The official server never sends it.
   */
  stashKeys: "live-stash:stash-keys",
} as const;

/**
 * Any of the event names.
 * @useDeclaredType
 */
export type StashEventName = (typeof EVENTS)[keyof typeof EVENTS];

/** LiveView's own window event after a view (re)joined and rendered. */
export const PAGE_LOADING_STOP = "phx:page-loading-stop";

/** The key of the join params object the server reads with `get_connect_params(socket)`. */
export const PARAM_KEY = "liveStash";

/** Marks a stash replayed after a full page reload; the server accepts it only where the view opts in. */
export const RESTORED_KEY = "restored";

/**
 * Key of the join params' list of what this client understands beyond the official protocol.
 * Every view's join carries it; the official server ignores it.
 */
export const ACCEPT_KEY = "accept";

/** Capability: the server may push `stash-keys` (one token per stored key) instead of whole tokens. */
export const KEYED_CAPABILITY = "keys";

const view = z.optional(z.string());
/** Key name → token; the names are the server's own, opaque to the client. */
const tokens = z.custom<Record<string, string>>(isStringRecord);
const lease = z.optional(z.string());

/**
 * Payloads as the server pushes them; unknown keys are dropped. `view` is ours: the official server
 * omits it, meaning the page's main view.
 */
export const payloadSchemas = {
  [EVENTS.initBrowserMemory]: z.object({ view }),
  [EVENTS.stashState]: z.object({ assigns: z.string(), view }),
  [EVENTS.initEts]: z.object({ node: z.string(), stashId: z.string(), view }),
  [EVENTS.initRedis]: z.object({ stashId: z.string(), view }),
  [EVENTS.initMnesia]: z.object({ stashId: z.string(), view }),
  /** `ttl`: seconds the lease is good for, shown by the inspector. */
  [EVENTS.lease]: z.object({ lease: z.string(), ttl: z.optional(z.number()), view }),
  /** `keys`: the changed keys' tokens only; `names`: every current key, changed or not. */
  [EVENTS.stashKeys]: z.object({ manifest: z.string(), keys: tokens, names: z.custom<string[]>(isStringArray), view }),
} as const;

/**
 * What one view's entry hands back in its join params: one of the official shapes, or our keyed
 * one (a manifest and one token per key). `lease` rides next to the browser token(s) it extends;
 * the official server ignores it.
 */
export const stashParamsSchema = z.union([
  z.object({
    /** BrowserMemory mode: the signed or encrypted stash. */
    stashedState: z.string(),
    /** Our server's lease on that token, which keeps it valid past its TTL. */
    lease,
  }),
  z.object({
    /** BrowserMemory mode with our server: the signed manifest of the keys' tokens. */
    stashedManifest: z.string(),
    /** One signed or encrypted token per stored key, by the server's name for the key. */
    stashedKeys: tokens,
    /** Our server's lease on the manifest. */
    lease,
  }),
  z.object({
    /** ETS mode: the encrypted name of the node holding the row. */
    node: z.string(),
    /** The server-side stash id. */
    stashId: z.string(),
  }),
  z.object({
    /** Redis or Mnesia mode: the server-side stash id. */
    stashId: z.string(),
  }),
]);
/**
 * One view's entry in the `liveStash` join param: a browser token, or a manifest and its keys'
 * tokens (either with its lease), or a server stash id (with ETS's node hint).
 * @useDeclaredType
 */
export type StashParams = z.infer<typeof stashParamsSchema>;

/** The storage-independent kind of stash a server mode produces. */
export const STASH_KINDS = ["browser", "ets", "redis", "mnesia"] as const;
/**
 * The server mode a stash comes from.
 * @useDeclaredType
 */
export type StashKind = (typeof STASH_KINDS)[number];
