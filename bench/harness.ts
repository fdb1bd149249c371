// The in-browser rows' setup: liveview-server/ (in this process, with the demo's views so the
// plain counter exists) behind the demo proxy, which adds COOP/COEP so the page is
// cross-origin isolated and performance.now() has 5 µs resolution instead of 100 µs.
// Chromium via Playwright, Debian's build when present.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "@playwright/test";
import { startServer, type TestServer } from "../liveview-server/index";
import { createProxy, type DemoProxy } from "../demo/proxy";
import { DEMO_ROUTES, DEMO_VIEWS } from "../demo/views/index";
import { waitForConnected } from "../src/testing/testing";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Harness {
  readonly server: TestServer;
  /** Through the proxy: isolated pages. */
  readonly url: string;
  readonly browser: Browser;
  readonly chromiumVersion: string;
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(buildDir: string): Promise<Harness> {
  const server = await startServer({ views: DEMO_VIEWS, routes: DEMO_ROUTES, buildDir });
  const proxy: DemoProxy = createProxy({
    backend: () => server.port,
    local: () => false,
    headers: { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" },
  });
  await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", () => resolve()));
  const address = proxy.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const browser = await chromium.launch(
    existsSync(DEBIAN_CHROMIUM) ? { executablePath: DEBIAN_CHROMIUM, args: ARGS } : { args: ARGS },
  );
  return {
    server,
    url,
    browser,
    chromiumVersion: browser.version(),
    async open(path) {
      const page = await browser.newPage();
      page.on("pageerror", (e) => console.error(`page error on ${path}: ${e.message}`));
      // tsx keeps function names with a __name() helper that page functions carry along.
      await page.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
      await page.goto(url + path);
      await waitForConnected(page);
      return page;
    },
    async close() {
      await browser.close();
      await proxy.close();
      await server.close();
    },
  };
}

/** Clicks Increment until the counter shows `n`. */
export async function countTo(page: Page, n: number, scope = "[data-phx-main]"): Promise<void> {
  const root = page.locator(scope).first();
  for (let i = 1; i <= n; i++) {
    await root.getByRole("button", { name: "Increment", exact: true }).click();
    await root
      .locator(".stat-value")
      .filter({ hasText: new RegExp(`^${i}$`) })
      .waitFor();
  }
}
