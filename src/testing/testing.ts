/**
 * Helpers and Playwright matchers for an app's own browser tests of reconnects and stashes.
 * Typed against structural page types: Playwright is never loaded from here.
 * @module live-stash/testing
 */
export {
  goOffline,
  goOnline,
  readStoredEntries,
  reconnect,
  waitForConnected,
  type ContextLike,
  type PageLike,
  type ReconnectOptions,
  type StoredEntry,
  type WaitOptions,
} from "./helpers.js";
export {
  liveStashMatchers,
  type LiveStashMatchers,
  type MatcherResult,
  type MatcherState,
  type RecoveredMatcherOptions,
  type StashMatcherOptions,
  type UrlMatcherOptions,
} from "./matchers.js";
export { recordUrls, type FrameLike, type RecordablePage, type WebSocketLike } from "./url-leaks.js";
