// What a hostile or limited network sees: no stash in any URL, Bandit's request-line limit,
// a 1 MB stash over the socket, and a strict CSP page.
import { PARAM_KEY } from "../src/core/protocol";
import { reconnect, waitForConnected } from "../src/testing/testing";
import { ONE_MB } from "../liveview-server/views/counter";
import { Counter, open } from "./support/counter";
import { expect, NETWORK_NOISE, test } from "./support/fixtures";

test("no stash token or id appears in any HTTP or websocket URL", async ({ page, server, requestedUrls }) => {
  for (const mode of ["browser", "browser-encrypt", "ets", "redis", "mnesia"]) {
    await open(page, server, `/counter/${mode}`);
    const counter = new Counter(page);
    await counter.increment(2);
    await reconnect(page);
    expect(server.crashView(await counter.viewId())).toBe(1);
    await waitForConnected(page);
    await expect(counter.value).toHaveText("2");
  }
  const sockets = requestedUrls.filter((u) => u.startsWith("ws:"));
  expect(sockets.length).toBeGreaterThanOrEqual(10);
  expect(server.issued.size).toBeGreaterThan(5);
  await expect(page).toHaveNoStashInUrl();
  for (const url of server.requests) {
    for (const secret of server.issued) expect(url).not.toContain(secret);
    expect(url).not.toContain(PARAM_KEY);
  }
});

test.describe(() => {
  test.use({ allowedConsoleErrors: NETWORK_NOISE });
  test("the server rejects websocket request lines over 10,000 bytes, like Bandit", async ({ page, server }) => {
    await page.goto(`${server.url}/blank`);
    const tryOpen = (pad: number) =>
      page.evaluate(
        (pad) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(`ws://${location.host}/live/websocket?pad=${"x".repeat(pad)}&vsn=2.0.0`);
            ws.onopen = () => {
              ws.close();
              resolve("open");
            };
            ws.onerror = () => resolve("error");
          }),
        pad,
      );
    expect(await tryOpen(9_000)).toBe("open");
    expect(await tryOpen(10_000)).toBe("error");
  });
});

for (const mode of ["browser", "ets"] as const) {
  test(`${mode}: a 1 MB stash recovers`, async ({ page, server }) => {
    await open(page, server, `/counter/${mode}`);
    const counter = new Counter(page);
    await counter.increment(1);
    await counter.button("Grow").click();
    await expect(counter.blobSize).toHaveText(String(ONE_MB));
    await reconnect(page);
    await expect(counter.status).toHaveText("recovered");
    await expect(counter.blobSize).toHaveText(String(ONE_MB));
    await expect(counter.value).toHaveText("1");
  });
}

for (const storage of ["session", "indexeddb"] as const) {
  test(`a page served with script-src 'self' records no CSP violation (${storage})`, async ({ page, server }) => {
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${server.url}/counter/browser-reload?csp=1&reload=1&storage=${storage}`);
    expect(response?.headers()["content-security-policy"]).toBe("script-src 'self'");
    await waitForConnected(page);
    const counter = new Counter(page);
    await counter.increment(2);
    await reconnect(page);
    await expect(counter.value).toHaveText("2");
    await page.reload();
    await expect(counter.status).toHaveText(/^(recovered|new)$/);
    const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect(await violations()).toEqual([]);
    // The probe works: an inline script is refused and reported.
    page.removeAllListeners("console");
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.inlineRan = true";
      document.body.append(s);
    });
    await expect.poll(violations).toHaveLength(1);
  });
}
