// What `toHaveStash` reads: the stashes a page's live-stash client holds. The client's own
// `entries()` is the truth (any storage, memory included) when the app puts its `LiveStash` on
// a global; otherwise the tab's stored snapshot is the best evidence there is.
import { MAIN_VIEW_SELECTOR } from "../core/constants.js";
import type { StashEntryInfo, StashKind } from "../index.js";
import { readStoredEntries, type PageLike } from "./helpers.js";

export interface HeldStash {
  view: string;
  kind: StashKind;
  /** Past its expiry: the client will not send it again. */
  expired: boolean;
}

export interface StashReading {
  /** Where the entries were read, for messages. */
  source: string;
  /** DOM id of the page's main LiveView, if it has one. */
  main: string | undefined;
  held: HeldStash[];
}

export async function readHeldStashes(page: PageLike, stashGlobal: string): Promise<StashReading> {
  const live = await page.evaluate(
    ({ name, mainSelector }: { name: string; mainSelector: string }) => {
      const main = document.querySelector(mainSelector)?.id || undefined;
      const stash = (window as unknown as Record<string, { entries?: () => readonly StashEntryInfo[] } | undefined>)[
        name
      ];
      if (typeof stash?.entries !== "function") return { main, held: undefined };
      const now = Date.now();
      return {
        main,
        held: stash.entries().map(({ view, kind, expiresAt }) => ({ view, kind, expired: expiresAt <= now })),
      };
    },
    { name: stashGlobal, mainSelector: MAIN_VIEW_SELECTOR },
  );
  if (live.held) return { source: `window.${stashGlobal}.entries()`, main: live.main, held: live.held };
  const stored = await readStoredEntries(page);
  const held = Object.entries(stored).map(([view, entry]) => ({ view, kind: entry.kind, expired: false }));
  return { source: `this tab's stored snapshot (no window.${stashGlobal})`, main: live.main, held };
}
