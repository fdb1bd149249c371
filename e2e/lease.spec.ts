// BrowserMemory keep-alive costs a small lease per beat, not the stash: counted in bytes on the
// wire in a real browser. The server clock is moved instead of waiting, and beats are run on
// demand (`keepAliveNow`), so nothing here depends on timing.
import { EVENTS } from "../src/core/protocol";
import { reconnect } from "../src/testing/testing";
import { ONE_MB } from "../liveview-server/views/counter";
import { downFor } from "./support/clock";
import { Counter, open } from "./support/counter";
import { expect, test } from "./support/fixtures";
import { bytes, recordFrames } from "../liveview-server/frames";
import { interceptJoins, tamper } from "./support/wire";

const BEAT_LIMIT = 300;

for (const mode of ["browser", "browser-encrypt"] as const) {
  test(`${mode}: idle beats cost a small lease each, and a view idle past the TTL still recovers`, async ({
    page,
    server,
  }) => {
    const frames = recordFrames(page);
    await open(page, server, `/counter/${mode}`);
    const counter = new Counter(page);
    await counter.button("Grow").click();
    await expect(counter.blobSize).toHaveText(String(ONE_MB));

    // Idle for 500 s, past the 300 s TTL, one beat every 100 s: each beat is one small frame.
    for (let i = 0; i < 5; i++) {
      const before = frames.received.length;
      server.advanceClock(100_000);
      expect(server.keepAliveNow()).toBe(1);
      const beat = () => frames.received.slice(before).find((f) => f.includes(EVENTS.lease));
      await expect.poll(beat).toBeDefined();
      expect(bytes(beat()!), beat()).toBeLessThanOrEqual(BEAT_LIMIT);
      expect(frames.received.slice(before).some((f) => f.includes(EVENTS.stashState))).toBe(false);
    }

    // The token was signed 500 s ago; the last lease is 0 s old. A 200 s gap is shorter than the TTL.
    server.advanceClock(200_000);
    const before = frames.received.length;
    await reconnect(page);
    await expect(counter.status).toHaveText("recovered");
    await expect(counter.blobSize).toHaveText(String(ONE_MB));

    // What came back for the recovery: the join reply and a lease, never the 1 MB stash.
    const after = frames.received.slice(before);
    const total = after.reduce((n, f) => n + bytes(f), 0);
    expect(total).toBeLessThan(2_000);
    expect(after.some((f) => f.includes(EVENTS.lease))).toBe(true);
    expect(after.some((f) => f.includes(EVENTS.stashState))).toBe(false);
  });
}

test("a gap longer than the TTL after the last lease recovers nothing", async ({ page, server }) => {
  await open(page, server, "/counter/browser");
  const counter = new Counter(page);
  await counter.increment(2);
  server.advanceClock(200_000);
  expect(server.keepAliveNow()).toBe(1);
  await downFor(page, server, 301_000);
  await expect(counter.status).toHaveText("not_found");
  await expect(counter.value).toHaveText("0");
});

test("a client that ignores leases (the official one) recovers within the TTL of the last stash, not after", async ({
  page,
  server,
}) => {
  const joins = await interceptJoins(page);
  const dropLease = (entry: unknown) => {
    const { lease: _lease, ...rest } = entry as Record<string, unknown>;
    return rest;
  };
  await open(page, server, "/counter/browser");
  const counter = new Counter(page);
  await counter.increment(3);
  server.advanceClock(200_000);
  server.keepAliveNow();
  joins.next(dropLease);
  await reconnect(page);
  await expect(counter.status).toHaveText("recovered");
  await expect(counter.value).toHaveText("3");

  // 310 s after the stash: the token alone has expired, though its lease would still hold.
  server.advanceClock(110_000);
  joins.next(dropLease);
  await reconnect(page);
  await expect(counter.status).toHaveText("not_found");
});

test("past the TTL, a tampered lease is refused as an error, not recovered", async ({ page, server }) => {
  const joins = await interceptJoins(page);
  await open(page, server, "/counter/browser");
  const counter = new Counter(page);
  await counter.increment(4);
  server.advanceClock(200_000);
  server.keepAliveNow();
  await expect.poll(() => page.evaluate(() => JSON.stringify(window.liveStash.entries()))).toContain("leaseExpiresAt");
  server.advanceClock(200_000);
  joins.next((entry) => {
    const { lease, ...rest } = entry as Record<string, string>;
    return { ...rest, lease: tamper(lease ?? "") };
  });
  await reconnect(page);
  await expect(counter.status).toHaveText("error");
  await expect(counter.value).toHaveText("0");
});
