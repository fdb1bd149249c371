// The entries this page holds, who owns each, and what a joining view gets. A view gets only its
// own entry: the one saved while this very element was on the page (a reconnect), or, on a
// restored page that opted in, the entry its predecessor saved on the same path before the reload.
import { CONNECTED_CLASS, MAIN_VIEW_SELECTOR, ROOT_VIEW_SELECTOR } from "./constants.js";
import { isExpired, type Entry } from "./entry.js";
import { createMirror, type Mirror } from "./mirror.js";
import { isRestoredPage } from "./page-load.js";
import { RESTORED_KEY, type StashParams } from "./protocol.js";

/** The element an entry was saved for, and the root LiveView container it lived in. */
export interface Owner {
  el: Element;
  root: Element;
}

export const ownerOf = (el: Element): Owner => ({ el, root: el.closest(ROOT_VIEW_SELECTOR) ?? el });

/**
 * A root view keeps its element across rejoins; a live navigation reuses its id on a new element,
 * which must not inherit the stash. A nested view gets a new element each time its parent
 * rejoins: it is the same view while the root it lived in is still the one on the page.
 */
function owns(owner: Owner, el: Element): boolean {
  if (owner.el === el) return true;
  const nested = owner.root !== owner.el;
  return nested && !owner.el.isConnected && owner.root.isConnected && ownerOf(el).root === owner.root;
}

export interface JoinState {
  mirror: Mirror;
  owners: Map<string, Owner>;
  /** Ids whose entry came from storage and has not been replaced by a push on this page. */
  stored: Set<string>;
  /** Ids that already joined on this page: only a first join may adopt an unowned entry. */
  joined: Set<string>;
  replayable: (entry: Entry) => boolean;
}

/** An entry saved before a reload is replayable only where the app opted in, on the same path. */
export function createJoinState(maxEntries: number, recoverAfterReload: boolean): JoinState {
  const restoredPage = isRestoredPage();
  return {
    mirror: createMirror(maxEntries),
    owners: new Map(),
    stored: new Set(),
    joined: new Set(),
    replayable: (entry) => recoverAfterReload && restoredPage && entry.path === location.pathname,
  };
}

export type JoinParams = StashParams | (StashParams & { [RESTORED_KEY]: true }) | Record<string, never>;

/** What a joining view gets. Its entry is dropped first if it expired; `changed` hears of that. */
export function paramsForJoin(state: JoinState, el: Element, ttlMs: number, changed: () => void): JoinParams {
  const { id } = el;
  const held = state.mirror.get(id);
  if (held && isExpired(held, Date.now(), ttlMs)) {
    state.mirror.delete(id);
    changed();
  }
  const firstJoin = !state.joined.has(id);
  state.joined.add(id);
  if (firstJoin && !state.mirror.has(id) && el.matches(MAIN_VIEW_SELECTOR)) adoptStoredMain(state, id);
  const entry = state.mirror.get(id);
  if (!entry) return {};
  const owner = state.owners.get(id);
  if (owner ? owns(owner, el) : firstJoin && (!state.stored.has(id) || state.replayable(entry))) {
    state.owners.set(id, ownerOf(el));
  } else {
    return {};
  }
  const params = copy(entry.params);
  return state.stored.has(id) ? { ...params, [RESTORED_KEY]: true } : params;
}

/** What LiveView gets is its own: writing into it must not reach the held entry. */
const copy = (params: StashParams): StashParams =>
  "stashedKeys" in params ? { ...params, stashedKeys: { ...params.stashedKeys } } : { ...params };

/** The main view's id is new on every page load, so its stored entry is found by role and path. */
function adoptStoredMain(state: JoinState, id: string): void {
  for (const oldId of state.stored) {
    const entry = state.mirror.get(oldId);
    if (!entry?.main || state.owners.has(oldId) || !state.replayable(entry)) continue;
    state.mirror.delete(oldId);
    state.stored.delete(oldId);
    state.mirror.set(id, entry);
    state.stored.add(id);
    return;
  }
}

/** Entries read back from storage; an entry this page already holds is newer and stays. */
export function addStored(state: JoinState, entries: Array<[string, Entry]>): void {
  for (const [id, entry] of entries) {
    if (state.mirror.has(id)) continue;
    state.mirror.set(id, entry);
    state.stored.add(id);
  }
}

/**
 * While a view is connected its server keeps the stash alive; so does the client. A replayed
 * entry whose view has joined is this page's own from then on: no longer `restored`. Returns
 * whether any entry was touched.
 */
export function touchConnected(state: JoinState): boolean {
  let touched = false;
  for (const [id, { el }] of state.owners) {
    const entry = state.mirror.get(id);
    if (!entry || !el.isConnected || !el.classList.contains(CONNECTED_CLASS)) continue;
    state.mirror.set(id, { ...entry, seenAt: Date.now() });
    state.stored.delete(id);
    touched = true;
  }
  return touched;
}

/** Forgets every entry this page holds. */
export function clearEntries(state: JoinState): void {
  state.mirror.clear();
  state.owners.clear();
  state.stored.clear();
}
