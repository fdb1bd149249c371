// What `toHaveNoStashInUrl` checks: every URL a page opened (websockets and HTTP requests, the
// long-poll fallback included) against the `liveStash` connect param and every stash token the
// page's sockets carried. Recording has to start before the page's first navigation, or its first
// socket is missed; it lives on the page object under a global symbol, so the ESM and CommonJS
// builds of this module share it.
import { EVENTS, PARAM_KEY } from "../index.js";

/** One websocket frame, as Playwright reports it. */
export interface FrameLike {
  /** The frame's text, or its bytes. */
  payload: string | Uint8Array;
}

/** The parts of a Playwright `WebSocket` the recording uses. */
export interface WebSocketLike {
  /** The URL the socket was opened with. */
  url(): string;
  /** Each frame the page receives. */
  on(event: "framereceived", listener: (frame: FrameLike) => void): unknown;
  /** Each frame the page sends. */
  on(event: "framesent", listener: (frame: FrameLike) => void): unknown;
}

/** The parts of a Playwright `Page` that `recordUrls` and `toHaveNoStashInUrl` use. */
export interface RecordablePage {
  /** Where the page is: `about:blank` until its first navigation. */
  url(): string;
  /** Each websocket the page opens. */
  on(event: "websocket", listener: (socket: WebSocketLike) => void): unknown;
  /** Each HTTP request the page makes. */
  on(event: "request", listener: (request: { url(): string }) => void): unknown;
}

export interface OpenedUrl {
  kind: "websocket" | "request";
  url: string;
}

export interface UrlRecording {
  readonly urls: OpenedUrl[];
  /** Values of stash events received and of `liveStash` join params sent: tokens, ids, leases. */
  readonly tokens: Set<string>;
}

/** A URL that carries a stash, without its query (which holds the stash): kept out of messages. */
export interface Leak {
  kind: OpenedUrl["kind"];
  /** Origin and path only. */
  where: string;
  reasons: string[];
}

const RECORDING = Symbol.for("live-stash/testing:urls");
const STASH_EVENTS = new Set<string>(Object.values(EVENTS));
// Short values (a view id, a flag) could match a URL by chance; tokens and ids are far longer.
const MIN_TOKEN_LENGTH = 8;

type Recorded = RecordablePage & { [RECORDING]?: UrlRecording };

/**
 * Starts recording every websocket and HTTP request URL `page` opens, and the stash tokens its
 * sockets carry, for `toHaveNoStashInUrl`. Call it before the page's first `goto`: a page that
 * already navigated is refused, since what it opened before is lost. Calling it again is a no-op.
 */
export function recordUrls(page: RecordablePage): void {
  const recorded = page as Recorded;
  if (recorded[RECORDING]) return;
  const at = page.url();
  if (at !== "about:blank") {
    throw new Error(
      `recordUrls: the page is already at ${at}; call it before the page's first navigation, or the URLs it opened so far go unchecked`,
    );
  }
  const recording: UrlRecording = { urls: [], tokens: new Set() };
  Object.defineProperty(recorded, RECORDING, { value: recording });
  page.on("request", (request) => recording.urls.push({ kind: "request", url: request.url() }));
  page.on("websocket", (socket) => {
    recording.urls.push({ kind: "websocket", url: socket.url() });
    const harvest = (frame: FrameLike) => collectTokens(frame.payload, recording.tokens);
    socket.on("framereceived", harvest);
    socket.on("framesent", harvest);
  });
}

/** The recording `recordUrls` started on this page, or undefined. */
export function recordingOf(page: RecordablePage): UrlRecording | undefined {
  return (page as Recorded)[RECORDING];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A payload's or entry's string values; a nested object is a per-key stash's tokens by name. */
function addValues(from: unknown, into: Set<string>, nested = true): void {
  if (!isRecord(from)) return;
  for (const [key, value] of Object.entries(from)) {
    if (key !== "view" && typeof value === "string" && value.length >= MIN_TOKEN_LENGTH) into.add(value);
    else if (nested) addValues(value, into, false);
  }
}

/** Stash events sit in a diff's `e` list as `[name, payload]`; join params carry `liveStash`. */
function walk(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    if (node.length === 2 && typeof node[0] === "string" && STASH_EVENTS.has(node[0])) addValues(node[1], into);
    for (const child of node) walk(child, into);
  } else if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === PARAM_KEY) addValues(value, into);
      else walk(value, into);
    }
  }
}

function collectTokens(payload: string | Uint8Array, into: Set<string>): void {
  const text = typeof payload === "string" ? payload : new TextDecoder().decode(payload);
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return; // Not a JSON channel message (an upload chunk): it carries no stash.
  }
  walk(message, into);
}

const isStashKey = (key: string): boolean => key === PARAM_KEY || key.startsWith(`${PARAM_KEY}[`);

function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function reasonsIn(url: string, tokens: ReadonlySet<string>): string[] {
  const reasons: string[] = [];
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const keys = [...new Set(parsed?.searchParams.keys() ?? [])].filter(isStashKey);
  if (keys.length > 0) reasons.push(`the ${keys.join(", ")} param`);
  const plain = decoded(url);
  const hits = [...tokens].filter((token) => url.includes(token) || plain.includes(token)).length;
  if (hits > 0) reasons.push(hits === 1 ? "a stash token" : `${hits} stash tokens`);
  return reasons;
}

/** Every recorded URL that carries a stash, described without the stash itself. */
export function findLeaks(recording: UrlRecording): Leak[] {
  const leaks: Leak[] = [];
  for (const { kind, url } of recording.urls) {
    const reasons = reasonsIn(url, recording.tokens);
    if (reasons.length === 0) continue;
    const where = URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : "(unparsable URL)";
    leaks.push({ kind, where, reasons });
  }
  return leaks;
}
