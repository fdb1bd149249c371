// "Still true after every reconnect": a check that must hold across more than one rejoin.
import type { Page } from "@playwright/test";
import { reconnect } from "../../src/testing/testing";

/** Reconnects `rounds` times, running `check` after each rejoin. */
export async function afterEachReconnect(page: Page, rounds: number, check: () => Promise<void>): Promise<void> {
  for (let round = 1; round <= rounds; round++) {
    await reconnect(page);
    await check();
  }
}
