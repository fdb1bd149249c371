// `live-stash/testing` from a Playwright project, ESM ("type": "module") or CommonJS (the
// `npm init` default). The test drives a tiny page served by page.route: no server, no network.
import { existsSync } from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const config = {
  testDir: "tests",
  workers: 1,
  retries: 0,
  reporter: "line",
  use: {
    headless: true,
    launchOptions: existsSync(DEBIAN_CHROMIUM) ? { executablePath: DEBIAN_CHROMIUM, args: ARGS } : { args: ARGS },
  },
};

const PAGE = `<!doctype html><div data-phx-session="s" class="phx-connected"></div>
<script>window.liveSocket = { isConnected: () => true };</script>`;

const body = (load) => `${load}

test("live-stash/testing loads and drives a page", async ({ page }) => {
  await page.route("http://consumer.test/", (route) => route.fulfill({ contentType: "text/html", body: ${JSON.stringify(PAGE)} }));
  await page.goto("http://consumer.test/");
  await waitForConnected(page, { timeout: 10000 });
  expect(await readStoredEntries(page)).toEqual({});
});
`;

export const esmPlaywright = {
  "playwright.config.js": `export default ${JSON.stringify(config, null, 2)};\n`,
  "tests/testing.spec.js": body('import { test, expect } from "@playwright/test";\nimport { waitForConnected, readStoredEntries } from "live-stash/testing";'),
};

export const cjsPlaywright = {
  "playwright.config.js": `module.exports = ${JSON.stringify(config, null, 2)};\n`,
  "tests/testing.spec.js": body('const { test, expect } = require("@playwright/test");\nconst { waitForConnected, readStoredEntries } = require("live-stash/testing");'),
};
