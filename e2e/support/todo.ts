// Page object for the todo view (liveview-server/views/todo.ts): items are LiveComponents.
import { expect, type Locator, type Page } from "@playwright/test";
import type { TestServer } from "../../liveview-server/index";
import { messages, type Frames } from "../../liveview-server/frames";
import { digest } from "../../liveview-server/stash/lease";
import { signedPayload } from "./wire";

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

  async click(label: "Add item" | "Reverse" | "Restore a" | "Restore b (list not stashed)" | "Crash"): Promise<void> {
    await this.page.getByRole("button", { name: label, exact: true }).click();
  }

  /** `listStashed: false` removes the item without the list stashing its new ids. */
  async remove(id: string, { listStashed = true } = {}): Promise<void> {
    const label = listStashed ? "Remove" : "Remove (list not stashed)";
    await this.item(id).getByRole("button", { name: label, exact: true }).click();
    await expect(this.item(id)).toHaveCount(0);
  }

  /** The ids of the items, in page order. */
  ids(): Promise<string[]> {
    return this.page.locator("li.item").evaluateAll((els) => els.map((el) => el.getAttribute("data-item") ?? ""));
  }
}

/** Resolves once the server has answered `count` cids_destroyed: removed components are gone for good. */
export async function destroyed(frames: Frames, count: number): Promise<void> {
  const answered = () => messages(frames.received).filter((f) => f[3] === "phx_reply" && JSON.stringify(f[4]).includes('"cids":')).length;
  await expect.poll(answered, { message: "cids_destroyed answered" }).toBe(count);
}

/**
 * The item ids whose state the newest record carries: a whole token's components (`c`), or those
 * of the key token (`c`) the newest manifest names. All are signed, so readable.
 */
export function stashedItems(server: TestServer): string[] {
  const issued = [...server.issued];
  const record = issued
    .reverse()
    .map(signedPayload)
    .find((d) => d !== undefined && ("h" in d || "a" in d))!;
  let components = record["c"];
  if ("h" in record) {
    const named = (record["h"] as Record<string, [string, number]>)["c"];
    components = named && signedPayload(issued.find((token) => digest(token) === named[0]))?.["x"];
  }
  return Object.keys((components ?? {}) as object)
    .map((key) => (JSON.parse(key) as [string, string])[1])
    .sort();
}
