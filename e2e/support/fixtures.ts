// Test fixtures: a fresh server per test (free port, options via `test.use({ serverOptions })`),
// and guards every test runs under: no unexpected console error or page error, and no
// stash token, stash id or `liveStash` key in any HTTP or websocket URL (checked on the server
// and, with live-stash/testing's own matcher, in every page of the test).
import { test as base, expect as baseExpect, type ConsoleMessage, type Page } from "@playwright/test";
import { PARAM_KEY } from "../../src/core/protocol";
import { liveStashMatchers, recordUrls } from "../../src/testing/testing";
import { startServer, type ServerOptions, type TestServer } from "../../liveview-server/index";
import { BUILD_DIR } from "./build-dir";

export interface Guards {
  /** Console errors matching this are expected in this test (network noise of a cut). */
  allowedConsoleErrors: RegExp | undefined;
  /**
   * The official client puts its stash in the websocket URL (its params function serves the
   * socket too): only tests that run it set this, and only that URL is exempt.
   */
  stashInWebsocketUrl: boolean;
}

/** What Chromium itself logs while a socket cannot reach the server: expected when we cut it. */
export const NETWORK_NOISE = /^WebSocket connection to .* failed|^Failed to load resource: net::ERR_/;

const LEAK_MARKERS = [
  PARAM_KEY,
  "stashedState",
  "stashedManifest",
  "stashedKeys",
  "stashId",
  "SFMyNTY.",
  "QTI1NkdDTQ.",
];
const WEBSOCKET_PATH = "/live/websocket";

/** The URLs the guard checks: all of them, or all but the websocket's when the test declared it. */
function guarded(urls: readonly string[], stashInWebsocketUrl: boolean): string[] {
  return stashInWebsocketUrl
    ? urls.filter((url) => new URL(url, "http://localhost").pathname !== WEBSOCKET_PATH)
    : [...urls];
}

interface Fixtures extends Guards {
  serverOptions: Omit<ServerOptions, "buildDir">;
  server: TestServer;
  /** Every warning the in-process server logged during this test (it still logs them too). */
  serverWarnings: string[];
  /** Every URL the browser requested in this test (HTTP and websocket). */
  requestedUrls: string[];
}

export const expect = baseExpect.extend(liveStashMatchers);

export const test = base.extend<Fixtures>({
  serverOptions: [{}, { option: true }],
  allowedConsoleErrors: [undefined, { option: true }],
  stashInWebsocketUrl: [false, { option: true }],

  server: async ({ serverOptions, stashInWebsocketUrl }, use) => {
    const server = await startServer({ spareBeam: true, ...serverOptions, buildDir: BUILD_DIR });
    await use(server);
    const died = server.bridge.failed?.message;
    const leaks = guarded(server.requests, stashInWebsocketUrl).filter(
      (url) => LEAK_MARKERS.some((m) => url.includes(m)) || [...server.issued].some((t) => url.includes(t)),
    );
    await server.close();
    // A BEAM that died mid-test fails the test, whatever it asserted.
    expect(died, "the BEAM running LiveStash died during the test").toBeUndefined();
    expect(leaks, "stash data in a request URL the server received").toEqual([]);
  },

  // The server runs in this worker process, so its console is this one.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  serverWarnings: async ({}, use) => {
    const lines: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
      warn(...args);
    };
    await use(lines);
    console.warn = warn;
  },

  requestedUrls: async ({ context }, use) => {
    const urls: string[] = [];
    context.on("request", (req) => urls.push(req.url()));
    context.on("page", (page) => page.on("websocket", (ws) => urls.push(ws.url())));
    await use(urls);
  },

  context: async ({ context, allowedConsoleErrors, stashInWebsocketUrl }, use) => {
    const problems: string[] = [];
    const pages: Page[] = [];
    const watch = (page: Page): void => {
      pages.push(page);
      recordUrls(page);
      page.on("console", (msg: ConsoleMessage) => {
        if (msg.type() === "error" && !allowedConsoleErrors?.test(msg.text()))
          problems.push(`console.error: ${msg.text()}`);
      });
      page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    };
    context.pages().forEach(watch);
    context.on("page", watch);
    await use(context);
    // The official client's websocket URL carries its stash by design: those tests keep the
    // marker guard below, which exempts that one URL, instead of the matcher.
    if (!stashInWebsocketUrl) {
      for (const page of pages) await expect(page, "stash data in a URL the browser opened").toHaveNoStashInUrl();
    }
    expect(problems, "unexpected console errors or page errors").toEqual([]);
  },

  page: async ({ page, requestedUrls, stashInWebsocketUrl }, use) => {
    page.on("websocket", (ws) => requestedUrls.push(ws.url()));
    await use(page);
    const leaks = guarded(requestedUrls, stashInWebsocketUrl).filter((url) =>
      LEAK_MARKERS.some((m) => url.includes(m)),
    );
    expect(leaks, "stash data in a URL the browser requested").toEqual([]);
  },
});
