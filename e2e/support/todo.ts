// Page object for the todo view (e2e/server/views/todo.ts): items are LiveComponents.
import { expect, type Locator, type Page } from "@playwright/test";

export class Todo {
  readonly status: Locator;
  constructor(private readonly page: Page) {
    this.status = page.locator("[data-phx-main] .stash-status");
  }

  item(id: string): Locator {
    return this.page.locator(`li.item[data-item="${id}"]`);
  }

  draft(id: string): Locator {
    return this.item(id).locator(".item-draft");
  }

  itemStatus(id: string): Locator {
    return this.item(id).locator(".item-status");
  }

  mode(id: string): Locator {
    return this.item(id).locator(".item-mode");
  }

  /** Types into an item's input (one keyup event per character, sent to its cid). */
  async type(id: string, text: string): Promise<void> {
    const input = this.item(id).locator("input");
    await input.click();
    await input.pressSequentially(text);
    await expect(this.draft(id)).toHaveText(text);
  }

  async click(label: "Add item" | "Reverse" | "Restore a" | "Crash"): Promise<void> {
    await this.page.getByRole("button", { name: label, exact: true }).click();
  }

  async remove(id: string): Promise<void> {
    await this.item(id).getByRole("button", { name: "Remove" }).click();
    await expect(this.item(id)).toHaveCount(0);
  }

  /** The ids of the items, in page order. */
  ids(): Promise<string[]> {
    return this.page.locator("li.item").evaluateAll((els) => els.map((el) => el.getAttribute("data-item") ?? ""));
  }
}
