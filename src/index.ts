/**
 * The client: keeps chosen Phoenix LiveView assigns across dropped sockets, server restarts and
 * (opt-in) page reloads, each view's stash sent only in its own join params.
 * @module live-stash
 */
import { createLiveStash, type ParamsFunction, type ParamsInput } from "./live-stash.js";
import type { LiveStashOptions } from "./options.js";

/**
 * The one line a Phoenix app adds:
 * `new LiveSocket("/live", Socket, { params: initLiveStash({ _csrf_token: csrfToken }) })`.
 * Returns LiveSocket's `params` function; each view's stash goes only into its own join params.
 */
export default function initLiveStash(params?: ParamsInput, options?: LiveStashOptions): ParamsFunction {
  return createLiveStash(params, options).params;
}

export { initLiveStash, createLiveStash };
export type { ConnectParams, LiveStash, ParamsFunction, ParamsInput, StashEntryInfo } from "./live-stash.js";
export type { LiveStashOptions } from "./options.js";
export { LiveStashError, type LiveStashErrorCode, type ErrorHandler } from "./core/errors.js";
export type { StashStorage, StorageName } from "./persistence/stash-storage.js";
export {
  EVENTS,
  PARAM_KEY,
  RESTORED_KEY,
  type StashEventName,
  type StashKind,
  type StashParams,
} from "./core/protocol.js";
