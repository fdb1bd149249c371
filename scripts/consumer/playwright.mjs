// `live-stash/testing` from a Playwright project, ESM ("type": "module") or CommonJS (the
// `npm init` default). The test drives a tiny page served by page.route: no server, no network.
// Its LiveSocket and LiveStash are stand-ins with the members the helpers and matchers call.
import { existsSync } from "node:fs";

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

const PAGE = `<!doctype html><div id="main" data-phx-session="s" data-phx-main class="phx-connected"><span id="count">3</span></div>
<script>
window.liveSocket = { isConnected: () => true, disconnect: (done) => done(), connect: () => {} };
window.liveStash = { entries: () => [{ view: "main", kind: "browser", expiresAt: Date.now() + 60000 }] };
</script>`;

const body = (load) => `${load}

test("live-stash/testing loads and drives a page, and its matchers pass on it", async ({ page }) => {
  recordUrls(page);
  await page.route("http://consumer.test/", (route) => route.fulfill({ contentType: "text/html", body: ${JSON.stringify(PAGE)} }));
  await page.goto("http://consumer.test/");
  await waitForConnected(page, { timeout: 10000 });
  expect(await readStoredEntries(page)).toEqual({});
  await expect(page).toHaveStash();
  await expect(page).not.toHaveStash({ view: "other", timeout: 200 });
  await expect(page).toHaveRecovered("#count", "3");
  await expect(page).toHaveNoStashInUrl();
});
`;

const NAMES = "waitForConnected, readStoredEntries, recordUrls, liveStashMatchers";

export const esmPlaywright = {
  "playwright.config.js": `export default ${JSON.stringify(config, null, 2)};\n`,
  "tests/testing.spec.js": body(
    `import { test, expect as base } from "@playwright/test";\nimport { ${NAMES} } from "live-stash/testing";\nconst expect = base.extend(liveStashMatchers);`,
  ),
};

export const cjsPlaywright = {
  "playwright.config.js": `module.exports = ${JSON.stringify(config, null, 2)};\n`,
  // The setup-file form: extend Playwright's own expect once, Jest style.
  "tests/testing.spec.js": body(
    `const { test, expect } = require("@playwright/test");\nconst { ${NAMES} } = require("live-stash/testing");\nexpect.extend(liveStashMatchers);`,
  ),
};

/**
 * The matcher calls a TypeScript project writes, both ways of extending: the extended expect's
 * inferred types, and Playwright's own expect through the PlaywrightTest.Matchers declaration.
 * Each misuse carries `@ts-expect-error`, so a matcher typed as `any` fails the check.
 */
export const MATCHER_TYPES = `import { test, expect as base } from "@playwright/test";
import { liveStashMatchers, recordUrls, waitForConnected } from "live-stash/testing";

const expect = base.extend(liveStashMatchers);
base.extend(liveStashMatchers);

test("typed", async ({ page }) => {
  recordUrls(page);
  await expect(page).toHaveStash({ view: "main", stashGlobal: "liveStash", timeout: 1000 });
  await expect(page).not.toHaveRecovered("#count", /3/, { delayMs: 10 });
  await expect(page).toHaveRecovered("#count", 3);
  await expect(page).toHaveNoStashInUrl();
  await base(page).toHaveStash();
  await base(page).not.toHaveNoStashInUrl({ timeout: 100 });
  // @ts-expect-error the value the element must show is required
  await expect(page).toHaveRecovered("#count");
  // @ts-expect-error toHaveStash has no option "views"
  await expect(page).toHaveStash({ views: "main" });
  // @ts-expect-error toHaveRecovered takes a CSS selector, not a number
  await base(page).toHaveRecovered(3, "3");
  // @ts-expect-error waitForConnected takes a Playwright Page
  await waitForConnected(42);
});
`;

/** Strict, nodenext, live-stash's and Playwright's declarations checked (skipLibCheck off). */
export const matcherTsconfig = (file) => ({
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    noEmit: true,
    skipLibCheck: false,
  },
  files: [file],
});
