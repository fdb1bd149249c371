// Page object for the document view (liveview-server/views/document.ts): a counter next to a
// 64 KB document whose size and checksum the page shows.
import { expect, type Locator, type Page } from "@playwright/test";
import { checksum, DOC_BYTES } from "../../liveview-server/views/document";
import { Counter } from "./counter";

export class DocumentPage {
  readonly counter: Counter;
  readonly size: Locator;
  readonly checksum: Locator;
  constructor(private readonly page: Page) {
    this.counter = new Counter(page);
    this.size = page.locator("[data-phx-main] .doc-size");
    this.checksum = page.locator("[data-phx-main] .doc-checksum");
  }

  /** Loads a new 64 KB document (one stash) and returns the checksum the page shows for it. */
  async load(): Promise<string> {
    const before = await this.checksum.textContent();
    await this.page.getByRole("button", { name: "Load 64 KB", exact: true }).click();
    await expect(this.size).toHaveText(String(DOC_BYTES));
    await expect(this.checksum).not.toHaveText(before ?? "");
    return (await this.checksum.textContent()) ?? "";
  }

  /** What the user sees: the stash status, the count, and which document (by checksum). */
  async expectShows(status: string, count: number, checksum: string): Promise<void> {
    await this.counter.expectShows(status, count);
    await expect(this.checksum).toHaveText(checksum);
    await expect(this.size).toHaveText(String(checksum === EMPTY_CHECKSUM ? 0 : DOC_BYTES));
  }
}

/** The checksum of the empty document a fresh view starts with. */
export const EMPTY_CHECKSUM = checksum("");
