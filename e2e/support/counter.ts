// Page-object helpers for the counter view and the pages built around it.
import { expect, type Locator, type Page } from "@playwright/test";
import { readStoredEntries, waitForConnected } from "../../src/testing/testing";
import type { TestServer } from "../../liveview-server/index";

export interface CounterQuery {
  storage?: "memory" | "session" | "indexeddb";
  reload?: boolean;
  ttl?: number;
  csp?: boolean;
  /** "official": a double of the official client (one stash per page) instead of ours. */
  client?: "official";
}

export function pageUrl(server: { url: string }, path: string, q: CounterQuery = {}): string {
  const search = new URLSearchParams();
  if (q.storage) search.set("storage", q.storage);
  if (q.reload) search.set("reload", "1");
  if (q.ttl) search.set("ttl", String(q.ttl));
  if (q.csp) search.set("csp", "1");
  if (q.client) search.set("client", q.client);
  const s = search.toString();
  return `${server.url}${path}${s ? `?${s}` : ""}`;
}

export async function open(
  page: Page,
  server: TestServer | { url: string },
  path: string,
  q: CounterQuery = {},
): Promise<void> {
  await page.goto(pageUrl(server, path, q));
  await waitForConnected(page);
}

export class Counter {
  readonly value: Locator;
  readonly status: Locator;
  readonly blobSize: Locator;
  constructor(
    private readonly page: Page,
    private readonly scope = "[data-phx-main]",
  ) {
    const root = page.locator(scope).first();
    this.value = root.locator(".stat-value").first();
    this.status = root.locator(".stash-status").first();
    this.blobSize = root.locator(".blob-size").first();
  }

  button(label: "Increment" | "Decrement" | "Add Zero" | "Reset Stash" | "Grow" | "Crash"): Locator {
    return this.page.locator(this.scope).first().getByRole("button", { name: label, exact: true }).first();
  }

  /** Clicks Increment n times, waiting for each round trip so the stash push has landed. */
  async increment(n: number, from = 0): Promise<void> {
    for (let i = 1; i <= n; i++) {
      await this.button("Increment").click();
      await this.value.filter({ hasText: new RegExp(`^${from + i}$`) }).waitFor();
    }
  }

  /** What the user sees: the stash status and the count. */
  async expectShows(status: string, value: number): Promise<void> {
    await expect(this.status).toHaveText(status);
    await expect(this.value).toHaveText(String(value));
  }

  /** The DOM id of the LiveView this counter renders in. */
  async viewId(): Promise<string> {
    return this.page
      .locator(this.scope)
      .first()
      .evaluate((el) => (el.closest("[data-phx-session]") ?? el).id);
  }
}

/** Resolves once this tab's storage holds the newest token/id the server handed out. */
export async function waitForPersisted(page: Page, server: TestServer): Promise<void> {
  const latest = [...server.issued].at(-1);
  if (latest === undefined) throw new Error("the server issued nothing yet");
  await expect
    .poll(async () => JSON.stringify(await readStoredEntries(page)).includes(latest), { message: "stash persisted" })
    .toBe(true);
}
