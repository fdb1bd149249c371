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
} from "./testing-helpers.js";
export {
  liveStashMatchers,
  type LiveStashMatchers,
  type MatcherResult,
  type MatcherState,
  type RecoveredMatcherOptions,
  type StashMatcherOptions,
  type UrlMatcherOptions,
} from "./testing-matchers.js";
export { recordUrls, type FrameLike, type RecordablePage, type WebSocketLike } from "./testing-urls.js";
