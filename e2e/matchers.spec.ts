// live-stash/testing's Playwright matchers against real pages: each passes on what it claims,
// fails (with a message saying what it saw) on its opposite, and works under `.not`.
import { readStoredEntries, recordUrls } from "../src/testing/testing";
import { Counter, open } from "./support/counter";
import { expect, test } from "./support/fixtures";

const VALUE = "[data-phx-main] .stat-value";
// Nothing listens here: the browser still opens (and reports) the URL, no server ever sees it.
const NOWHERE = "127.0.0.1:9";

/** The message of the assertion's failure; fails the test when it passes. */
async function failure(assertion: Promise<void>): Promise<string> {
  const error = await assertion.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the assertion should have failed").toBeInstanceOf(Error);
  return (error as Error).message;
}

test("toHaveStash: held after a stash, gone after Reset Stash, read from storage without the global", async ({
  page,
  server,
}) => {
  await open(page, server, "/counter/browser");
  const counter = new Counter(page);
  await expect(page).not.toHaveStash();
  const nothing = await failure(expect(page).toHaveStash({ timeout: 300 }));
  expect(nothing).toMatch(
    /Expected: a stash for "[^"]+" \(the main view\)\nReceived: window\.liveStash\.entries\(\) holds nothing/,
  );

  await counter.increment(2);
  await expect(page).toHaveStash();
  await expect(page).toHaveStash({ view: await counter.viewId() });
  await expect(page).not.toHaveStash({ view: "no-such-view", timeout: 300 });
  // Without the app's global, the tab's stored snapshot (sessionStorage by default) is read.
  await expect(page).toHaveStash({ stashGlobal: "noSuchGlobal" });
  const held = await failure(expect(page).not.toHaveStash({ timeout: 300 }));
  expect(held).toMatch(
    /Expected: no stash for "[^"]+" \(the main view\)\nReceived: window\.liveStash\.entries\(\) holds stashes for "[^"]+" \(browser\)/,
  );

  await counter.button("Reset Stash").click();
  await expect(page).not.toHaveStash();
});

test("toHaveRecovered: a stashed value comes back; after Reset Stash it does not, and the message says what showed", async ({
  page,
  server,
}) => {
  await open(page, server, "/counter/ets");
  const counter = new Counter(page);
  await counter.increment(2);
  await expect(page).toHaveRecovered(VALUE, "2");
  await expect(page).toHaveRecovered(VALUE, /^2$/, { delayMs: 100 });

  await counter.button("Reset Stash").click();
  await expect(counter.status).toHaveText("reset");
  await expect(page).not.toHaveRecovered(VALUE, 2);
  await counter.increment(2);
  await counter.button("Reset Stash").click();
  await expect(counter.status).toHaveText("reset");
  // The timeout bounds the rejoin too (see the option's doc): short enough to fail fast, long
  // enough for a rejoin on a loaded machine.
  const message = await failure(expect(page).toHaveRecovered(VALUE, "2", { timeout: 3_000 }));
  expect(message).toContain(
    `Expected: "${VALUE}" to show "2" after a reconnect\nReceived: "2" before the reconnect, "0" after the rejoin`,
  );
  const missing = await failure(expect(page).toHaveRecovered("#no-such-element", "2", { timeout: 3_000 }));
  expect(missing).toContain("Received: no element before the reconnect, no element after the rejoin");
});

test("toHaveNoStashInUrl: a token in a websocket or request URL is found and not printed", async ({
  browser,
  server,
}) => {
  // A page of its own: this test leaks on purpose, which the fixtures' guard would report.
  const page = await browser.newPage();
  try {
    recordUrls(page);
    await open(page, server, "/counter/browser");
    await new Counter(page).increment(1);
    await expect(page).toHaveNoStashInUrl();
    await expect.poll(async () => Object.keys(await readStoredEntries(page)).length).toBe(1);
    const [entry] = Object.values(await readStoredEntries(page));
    // Our client holds a per-key stash: one of its key tokens stands for any stash token.
    const token = String((entry!.params as { stashedKeys: Record<string, string> }).stashedKeys["a:count"]);

    // The official client's leak: its stash in the websocket URL, as connect params.
    await page.evaluate(
      ({ host, token }) =>
        void new WebSocket(`ws://${host}/live/websocket?liveStash%5BstashedState%5D=${token}&vsn=2.0.0`),
      {
        host: NOWHERE,
        token,
      },
    );
    await expect(page).not.toHaveNoStashInUrl();
    // A token under any other name, in a plain request (as the long-poll fallback would send it).
    await page.evaluate(
      ({ host, token }) => fetch(`http://${host}/live/longpoll?t=${encodeURIComponent(token)}`).catch(() => undefined),
      {
        host: NOWHERE,
        token,
      },
    );
    await expect
      .poll(() => failure(expect(page).toHaveNoStashInUrl()))
      .toContain(`request http://${NOWHERE}/live/longpoll: a stash token`);

    const message = await failure(expect(page).toHaveNoStashInUrl());
    expect(message).toContain(
      `websocket ws://${NOWHERE}/live/websocket: the liveStash[stashedState] param, a stash token`,
    );
    expect(message).not.toContain(token);
  } finally {
    await page.close();
  }
});

test("toHaveNoStashInUrl needs recordUrls before the first navigation", async ({ browser, server }) => {
  const page = await browser.newPage();
  try {
    await expect(page)
      .toHaveNoStashInUrl()
      .then(
        () => Promise.reject(new Error("passed without a recording")),
        (e: Error) => expect(e.message).toContain("call recordUrls(page) before the page's first navigation"),
      );
    await page.goto(`${server.url}/blank`);
    expect(() => recordUrls(page)).toThrow(`recordUrls: the page is already at ${server.url}/blank`);
  } finally {
    await page.close();
  }
});
