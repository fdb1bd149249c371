// Page object for the todo view (liveview-server/views/todo.ts): items are LiveComponents.
import { expect, type Locator, type Page } from "@playwright/test";
import type { TestServer } from "../../liveview-server/index";
import { messages, type Frames } from "../../liveview-server/frames";
import { digest, isAtom, signedTerm, walk, type Term } from "./etf";

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
  const answered = () =>
    messages(frames.received).filter((f) => f[3] === "phx_reply" && JSON.stringify(f[4]).includes('"cids":')).length;
  await expect.poll(answered, { message: "cids_destroyed answered" }).toBe(count);
}

/**
 * The item ids whose state the newest record carries: a whole token's components, or those of
 * the key token (`c`) the newest manifest names (bound by its digest). Signed tokens are readable.
 */
export function stashedItems(server: TestServer): string[] {
  const issued = [...server.issued].reverse();
  const terms = issued.map((token) => ({ token, term: signedTerm(token) }));
  const newest = terms.find(
    ({ term }) =>
      term !== undefined &&
      [...walk(term)].some((t) => isAtom(t, "live_stash_record") || isAtom(t, "live_stash_manifest")),
  );
  if (!newest?.term) return [];
  let holder: Term | undefined = newest.term;
  if ([...walk(newest.term)].some((t) => isAtom(t, "live_stash_manifest"))) {
    const named = [...walk(newest.term)].find(
      (t): t is { tuple: Term[] } =>
        typeof t === "object" && "tuple" in t && Buffer.isBuffer(t.tuple[0]) && t.tuple[0].toString() === "c",
    );
    const wanted = named?.tuple.find((t): t is Buffer => Buffer.isBuffer(t) && t.length === 16);
    holder = wanted && terms.find(({ token }) => digest(token).equals(wanted))?.term;
  }
  return holder ? componentIds(holder) : [];
}

/** The ids of a record's component states: a map keyed by {module (atom or its name), id}. */
function componentIds(term: Term): string[] {
  for (const t of walk(term)) {
    if (typeof t !== "object" || !("pairs" in t) || t.pairs.length === 0) continue;
    const keys = t.pairs.map(([k]) => k);
    if (
      keys.every(
        (k) =>
          typeof k === "object" &&
          "tuple" in k &&
          k.tuple.length === 2 &&
          (isAtom(k.tuple[0]!) || Buffer.isBuffer(k.tuple[0])) &&
          Buffer.isBuffer(k.tuple[1]),
      )
    ) {
      return keys.map((k) => ((k as { tuple: Term[] }).tuple[1] as Buffer).toString()).sort();
    }
  }
  return [];
}
