// Time passing while the socket is down, without waiting: the server's clock is moved instead.
import type { Page } from "@playwright/test";
import type { TestServer } from "../../liveview-server/index";

/** Disconnects, moves the server clock `ms` forward while the socket is down, then connects again. */
export async function downFor(page: Page, server: TestServer, ms: number): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => window.liveSocket.disconnect(resolve)));
  server.advanceClock(ms);
  await page.evaluate(() => window.liveSocket.connect());
}
