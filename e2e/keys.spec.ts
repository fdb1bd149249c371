// Per-key stashes (issue 16, part 1), our client against our server: a view keeps a 64 KB document
// next to a counter, and after the first stash each counter change pushes a small payload, counted
// in websocket bytes; a reconnect recovers the whole state. A key token that is not the very one
// its manifest names (tampered, replayed from an older stash, moved from another tab) is refused
// as `error` (`mixed_keys`), with one server warning naming the view. The official client still
// gets whole tokens.
import type { Page } from "@playwright/test";
import { EVENTS, PARAM_KEY } from "../src/core/protocol";
import { readStoredEntries, reconnect } from "../src/testing/testing";
import { recordFrames, type Frames } from "../liveview-server/frames";
import { DOC_BYTES } from "../liveview-server/views/document";
import { Counter, open, waitForPersisted } from "./support/counter";
import { DocumentPage, EMPTY_CHECKSUM } from "./support/document";
import { expect, test } from "./support/fixtures";
import { receivedDuring, stashKeysPushes } from "./support/keys";
import { tamperStoredKeyOnLoad } from "./support/storage";
import { interceptJoins } from "./support/wire";

/** What a one-key change may cost on the wire, server to browser, per event (issue 16). */
const SMALL_PUSH = 2 * 1024;

const MODES = ["browser", "browser-encrypt"] as const;
const VIEW = { browser: "DocumentBrowserLive", "browser-encrypt": "DocumentEncryptLive" } as const;

type KeyedParams = { stashedManifest: string; stashedKeys: Record<string, string>; lease?: string };

/** Clicks Increment once: what the server pushed for it is at most 2 KB, and carries the stash. */
async function expectSmallIncrement(frames: Frames, doc: DocumentPage, from: number): Promise<void> {
  const pushed = await receivedDuring(frames, () => doc.counter.increment(1, from));
  expect(pushed.bytes, "bytes pushed for one counter change").toBeLessThanOrEqual(SMALL_PUSH);
  expect(
    pushed.frames.some((f) => f.includes(EVENTS.stashKeys)),
    "the change was stashed",
  ).toBe(true);
}

/** The per-key entry this tab keeps for its main view, as stored. */
async function storedKeys(page: Page): Promise<KeyedParams> {
  const entries = Object.values(await readStoredEntries(page)).filter((e) => e.main);
  expect(entries).toHaveLength(1);
  return entries[0]!.params as KeyedParams;
}

for (const mode of MODES) {
  test(`${mode}: next to a 64 KB document, each counter change pushes ≤ 2 KB, and a reconnect recovers it all`, async ({
    page,
    server,
  }) => {
    const frames = recordFrames(page);
    await open(page, server, `/document/${mode}`);
    const doc = new DocumentPage(page);
    let checksum = "";
    const loaded = await receivedDuring(frames, async () => {
      checksum = await doc.load();
    });
    // The document crosses the wire once, with the first stash.
    expect(loaded.bytes).toBeGreaterThan(DOC_BYTES);

    for (let i = 0; i < 5; i++) await expectSmallIncrement(frames, doc, i);

    const rejoin = await receivedDuring(frames, () => reconnect(page));
    await doc.expectShows("recovered", 5, checksum);
    // The browser already holds every key: the rejoin brings a lease, not the stash again.
    expect(rejoin.frames.some((f) => f.includes(EVENTS.lease))).toBe(true);
    expect(rejoin.bytes).toBeLessThan(SMALL_PUSH);

    // ... so the next change after a recovery pushes only the changed key, and it all survives again.
    await expectSmallIncrement(frames, doc, 5);
    expect(stashKeysPushes(frames).at(-1)!.keys).toEqual({ "a:count": expect.any(String) });
    await reconnect(page);
    await doc.expectShows("recovered", 6, checksum);
  });
}

const REPLAYS: Record<string, (now: KeyedParams, older: { manifest: string; count: string }) => KeyedParams> = {
  "an older key token with the newer manifest": (now, older) => ({
    ...now,
    stashedKeys: { ...now.stashedKeys, "a:count": older.count },
  }),
  "the older manifest with the newer keys": (now, older) => ({ ...now, stashedManifest: older.manifest }),
};

for (const mode of MODES) {
  for (const [replay, rewrite] of Object.entries(REPLAYS)) {
    test(`${mode}: ${replay} is refused as error, never assembled into a state`, async ({
      page,
      server,
      serverWarnings,
    }) => {
      const joins = await interceptJoins(page);
      const frames = recordFrames(page);
      await open(page, server, `/document/${mode}`);
      const doc = new DocumentPage(page);
      await doc.counter.increment(1);
      const first = stashKeysPushes(frames).at(-1)!;
      const older = { manifest: first.manifest, count: first.keys["a:count"]! };
      await doc.load();
      await doc.counter.increment(2, 1);
      joins.next((given) => rewrite(given as KeyedParams, older));
      await reconnect(page);
      await doc.expectShows("error", 0, EMPTY_CHECKSUM);
      expect(serverWarnings).toEqual([expect.stringContaining(`did not recover the stash of ${VIEW[mode]}`)]);
      expect(serverWarnings[0]).toContain("(:mixed_keys)");
      // The client dropped what was refused; the view stashes and recovers again.
      await doc.counter.increment(1);
      await reconnect(page);
      await doc.expectShows("recovered", 1, EMPTY_CHECKSUM);
    });
  }
}

test("a key token tampered with in storage is refused as error when a reload replays it", async ({
  page,
  server,
  serverWarnings,
}) => {
  await open(page, server, "/counter/browser-reload", { reload: true });
  const counter = new Counter(page);
  await counter.increment(3);
  await waitForPersisted(page, server);
  expect(Object.keys((await storedKeys(page)).stashedKeys).sort()).toEqual(["a:blob", "a:count"]);
  await tamperStoredKeyOnLoad(page, "a:count");
  await page.reload();
  await counter.expectShows("error", 0);
  expect(serverWarnings).toEqual([
    expect.stringMatching(/did not recover the stash of CounterBrowserReloadLive\b.*\(:mixed_keys\)/),
  ]);
  // The client dropped what was refused; the view stashes and recovers again.
  await counter.increment(2);
  await reconnect(page);
  await counter.expectShows("recovered", 2);
});

test("a key token moved from another tab's stash is refused; that tab's whole stash is not_found and left alone", async ({
  context,
  server,
  serverWarnings,
}) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await open(a, server, "/document/browser");
  await new Counter(a).increment(2);
  await waitForPersisted(a, server);
  const theirs = await storedKeys(a);

  const joins = await interceptJoins(b);
  await open(b, server, "/document/browser");
  const mine = new Counter(b);
  await mine.increment(5);

  // One of A's keys in B's own entry: B's manifest names another token.
  joins.next((given) => ({
    ...(given as KeyedParams),
    stashedKeys: { ...(given as KeyedParams).stashedKeys, "a:count": theirs.stashedKeys["a:count"]! },
  }));
  await reconnect(b);
  await mine.expectShows("error", 0);
  expect(serverWarnings).toEqual([expect.stringContaining("(:mixed_keys)")]);

  // A's whole entry in B's join: another view instance's stash, not B's to judge or drop. B's
  // client is not told to drop its own entry, so B's next rejoin recovers it; A's is untouched.
  await mine.increment(5);
  joins.next((given) => ({ ...theirs, accept: (given as { accept?: unknown }).accept }));
  await reconnect(b);
  await mine.expectShows("not_found", 0);
  expect(serverWarnings.slice(1)).toEqual([expect.stringContaining("the stash belongs to another view (:wrong_view)")]);
  await reconnect(b);
  await mine.expectShows("recovered", 5);
  await reconnect(a);
  await new Counter(a).expectShows("recovered", 2);
});

test.describe(() => {
  test.use({ stashInWebsocketUrl: true });

  test("the official client (no accept: [keys]) still gets whole tokens and recovers", async ({ page, server }) => {
    const frames = recordFrames(page);
    await open(page, server, "/document/browser", { client: "official" });
    const doc = new DocumentPage(page);
    await doc.counter.increment(3);
    await reconnect(page);
    await doc.expectShows("recovered", 3, EMPTY_CHECKSUM);
    expect(frames.received.some((f) => f.includes(EVENTS.stashState))).toBe(true);
    expect(frames.received.some((f) => f.includes(EVENTS.stashKeys))).toBe(false);
    expect(server.joins.every((j) => !("accept" in (j.params[PARAM_KEY] as object)))).toBe(true);
  });
});
