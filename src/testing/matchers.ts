// Playwright matchers for live-stash: pass `liveStashMatchers` to `expect.extend`. They use only
// what Playwright hands a custom matcher (`this.isNot`, `this.timeout`) and structural page
// types, so nothing here loads Playwright. Each retries until the expect timeout, supports
// `.not`, and says in its message what it saw.
import { reconnect, type PageLike } from "./helpers.js";
import { pollUntil } from "./poll.js";
import { readHeldStashes, type StashReading } from "./held-stashes.js";
import { findLeaks, recordingOf, type Leak, type RecordablePage, type UrlRecording } from "./url-leaks.js";

/** The part of Playwright's matcher context (`this` in a custom matcher) these matchers read. */
export interface MatcherState {
  /** Called through `.not`. */
  isNot: boolean;
  /** The expect timeout in milliseconds; 0 waits without limit. */
  timeout: number;
}

/** What a matcher returns to `expect`, as Playwright's `MatcherReturnType` expects it. */
export interface MatcherResult {
  /** Whether what the matcher claims holds (Playwright inverts it under `.not`). */
  pass: boolean;
  /** What was expected and what was seen. */
  message: () => string;
  /** The matcher's name, for Playwright's report. */
  name: string;
  /** The expected value, for Playwright's report. */
  expected?: unknown;
  /** What was seen, for Playwright's report. */
  actual?: unknown;
}

/** Options of `toHaveStash`. */
export interface StashMatcherOptions {
  /** DOM id of the LiveView container. Default: the page's main LiveView (`[data-phx-main]`). */
  view?: string;
  /** Global holding the app's `LiveStash` (from `createLiveStash`). Default `"liveStash"`. */
  stashGlobal?: string;
  /** Milliseconds to retry. Default: the expect timeout. */
  timeout?: number;
}

/** Options of `toHaveRecovered`. */
export interface RecoveredMatcherOptions {
  /** How long the socket stays down before `connect()`, in milliseconds. Default 0. */
  delayMs?: number;
  /** Name of the global holding the LiveSocket. Default `"liveSocket"`. */
  socketGlobal?: string;
  /** Milliseconds to wait for the rejoin, then again for the value. Default: the expect timeout. */
  timeout?: number;
}

/** Options of `toHaveNoStashInUrl`. */
export interface UrlMatcherOptions {
  /** Milliseconds to wait for a stash to show up, under `.not` only. Default: the expect timeout. */
  timeout?: number;
}

const header = (state: MatcherState, name: string, args: string): string =>
  `expect(page).${state.isNot ? "not." : ""}${name}(${args}) failed\n\n`;

const timeoutOf = (state: MatcherState, options: { timeout?: number }): number => options.timeout ?? state.timeout;

function describeHeld(reading: StashReading): string {
  if (reading.held.length === 0) return `${reading.source} holds nothing`;
  const list = reading.held.map(({ view, kind, expired }) => `"${view}" (${kind}${expired ? ", expired" : ""})`);
  return `${reading.source} holds stashes for ${list.join(", ")}`;
}

/** Page text as a reader sees it: whitespace runs collapsed, as Playwright's `toHaveText` compares. */
async function textOf(page: PageLike, selector: string): Promise<string | null> {
  return page.evaluate((sel: string) => {
    const el = document.querySelector(sel);
    return el ? (el.textContent ?? "").replace(/\s+/g, " ").trim() : null;
  }, selector);
}

const shown = (text: string | null): string => (text === null ? "no element" : JSON.stringify(text));

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

function describeLeaks(leaks: readonly Leak[], recording: UrlRecording): string {
  const sockets = recording.urls.filter((u) => u.kind === "websocket").length;
  const counted = `${count(recording.urls.length, "URL")} (${count(sockets, "websocket")}; ${count(recording.tokens.size, "stash token")} seen)`;
  if (leaks.length === 0) return `none of ${counted}`;
  const lines = leaks.map(({ kind, where, reasons }) => `  ${kind} ${where}: ${reasons.join(", ")}`);
  return `${leaks.length} of ${counted}:\n${lines.join("\n")}`;
}

/**
 * Pass to Playwright's `expect.extend`:
 * `const expect = base.extend(liveStashMatchers)`, or `expect.extend(liveStashMatchers)` once in a
 * setup file. Typed both ways: `extend` infers the signatures, and importing `live-stash/testing`
 * declares them on Playwright's `PlaywrightTest.Matchers`.
 */
export const liveStashMatchers = {
  /**
   * The page's live-stash client holds an unexpired stash for the view (default: the main
   * LiveView). Reads `window.liveStash.entries()` when the app puts its `LiveStash` there (any
   * storage, memory included), otherwise the tab's stored snapshot (sessionStorage or IndexedDB).
   */
  async toHaveStash(this: MatcherState, page: PageLike, options: StashMatcherOptions = {}): Promise<MatcherResult> {
    const target = (reading: StashReading) => options.view ?? reading.main;
    const holds = (reading: StashReading) => reading.held.some((h) => h.view === target(reading) && !h.expired);
    const reading = await pollUntil(
      timeoutOf(this, options),
      () => readHeldStashes(page, options.stashGlobal ?? "liveStash"),
      (r) => target(r) !== undefined && holds(r) !== this.isNot,
    );
    const view = target(reading);
    if (view === undefined)
      throw new Error("toHaveStash: the page has no main LiveView ([data-phx-main]); pass { view: <its DOM id> }");
    const pass = holds(reading);
    const wanted = `${this.isNot ? "no stash" : "a stash"} for "${view}"${options.view === undefined ? " (the main view)" : ""}`;
    return {
      name: "toHaveStash",
      pass,
      expected: view,
      actual: reading.held,
      message: () =>
        `${header(this, "toHaveStash", options.view === undefined ? "" : `{ view: "${view}" }`)}Expected: ${wanted}\nReceived: ${describeHeld(reading)}`,
    };
  },

  /**
   * Drops the socket and reconnects (`reconnect`), then waits until the element at the CSS
   * `selector` shows `value` again (its text, whitespace collapsed, equal to a string or number,
   * or matching a RegExp): what a view that recovered its stash renders. Throws, `.not` or not,
   * when the page does not rejoin.
   */
  async toHaveRecovered(
    this: MatcherState,
    page: PageLike,
    selector: string,
    value: string | number | RegExp,
    options: RecoveredMatcherOptions = {},
  ): Promise<MatcherResult> {
    const timeout = timeoutOf(this, options);
    const before = await textOf(page, selector);
    try {
      await reconnect(page, { ...options, ...(timeout > 0 ? { timeout } : {}) });
    } catch (error) {
      throw new Error(
        `toHaveRecovered: the page did not rejoin after the reconnect: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const matches = (text: string | null) =>
      text !== null && (value instanceof RegExp ? text.search(value) !== -1 : text === String(value));
    const after = await pollUntil(
      timeout,
      () => textOf(page, selector),
      (text) => matches(text) !== this.isNot,
    );
    const expected = value instanceof RegExp ? String(value) : JSON.stringify(String(value));
    return {
      name: "toHaveRecovered",
      pass: matches(after),
      expected: value,
      actual: after,
      message: () =>
        `${header(this, "toHaveRecovered", `"${selector}", ${expected}`)}Expected: "${selector}" ${this.isNot ? "not " : ""}to show ${expected} after a reconnect\n` +
        `Received: ${shown(before)} before the reconnect, ${shown(after)} after the rejoin`,
    };
  },

  /**
   * No URL the page opened (websockets and HTTP requests) carries a stash: neither the `liveStash`
   * connect param nor a token, stash id or lease its sockets carried. Needs `recordUrls(page)`
   * before the page's first navigation, and throws without it. Under `.not` it waits for a leak.
   */
  async toHaveNoStashInUrl(
    this: MatcherState,
    page: RecordablePage,
    options: UrlMatcherOptions = {},
  ): Promise<MatcherResult> {
    const recording = recordingOf(page);
    if (!recording) throw new Error("toHaveNoStashInUrl: call recordUrls(page) before the page's first navigation");
    // A URL once opened stays opened: only `.not` has something to wait for.
    const probe = async () => findLeaks(recording);
    const leaks = this.isNot
      ? await pollUntil(timeoutOf(this, options), probe, (found) => found.length > 0)
      : await probe();
    return {
      name: "toHaveNoStashInUrl",
      pass: leaks.length === 0,
      expected: this.isNot ? "a stash in a URL" : "no stash in any URL",
      actual: leaks,
      message: () =>
        `${header(this, "toHaveNoStashInUrl", "")}Expected: ${this.isNot ? "a stash in a URL the page opened" : "no stash in any URL the page opened"}\n` +
        `Received: ${describeLeaks(leaks, recording)}`,
    };
  },
};

/** The matchers as `expect(page)` offers them once extended. */
export interface LiveStashMatchers<R> {
  /** See `liveStashMatchers.toHaveStash`. */
  toHaveStash(options?: StashMatcherOptions): Promise<R>;
  /** See `liveStashMatchers.toHaveRecovered`. */
  toHaveRecovered(selector: string, value: string | number | RegExp, options?: RecoveredMatcherOptions): Promise<R>;
  /** See `liveStashMatchers.toHaveNoStashInUrl`. */
  toHaveNoStashInUrl(options?: UrlMatcherOptions): Promise<R>;
}

declare global {
  // Playwright's hook for typing custom matchers on its `expect` (its test.d.ts declares it empty):
  // so a setup file's `expect.extend(liveStashMatchers)` needs no declaration of its own.
  namespace PlaywrightTest {
    interface Matchers<R, T = unknown> extends LiveStashMatchers<R> {}
  }
}
