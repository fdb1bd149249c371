// Server pushes arrive as window events. Each is validated, then turned into an update of one
// view's entry (a new stash, a lease for the browser token it holds, a per-key stash to merge into
// the keys it holds, or `null` to clear it) and applied to that view's entry.
import { MAIN_VIEW_SELECTOR } from "./constants.js";
import type { Report } from "./errors.js";
import { ownerOf, type JoinState } from "./join.js";
import { nextEntry, type Update } from "./next-entry.js";
import { EVENTS, payloadSchemas, WINDOW_EVENT_PREFIX, type StashEventName } from "./protocol.js";

export type ApplyUpdate = (view: string | undefined, update: Update) => void;

type Payload<K extends StashEventName> = ReturnType<(typeof payloadSchemas)[K]["parse"]>;

const toUpdate: { [K in StashEventName]: (payload: Payload<K>) => Update } = {
  [EVENTS.initBrowserMemory]: () => null,
  [EVENTS.stashState]: ({ assigns }) => ({ kind: "browser", params: { stashedState: assigns } }),
  [EVENTS.initEts]: ({ node, stashId }) => ({ kind: "ets", params: { node, stashId } }),
  [EVENTS.initRedis]: ({ stashId }) => ({ kind: "redis", params: { stashId } }),
  [EVENTS.initMnesia]: ({ stashId }) => ({ kind: "mnesia", params: { stashId } }),
  [EVENTS.lease]: ({ lease, ttl }) => ({ lease, ttl }),
  [EVENTS.stashKeys]: ({ manifest, keys, names }) => ({ manifest, keys, names }),
};

function handle<K extends StashEventName>(name: K, detail: unknown, apply: ApplyUpdate, report: Report) {
  const parsed = payloadSchemas[name].safeParse(detail);
  if (!parsed.success) return report("payload", `ignored a malformed "${name}" push`);
  const payload = parsed.data as Payload<K>;
  apply(payload.view, toUpdate[name](payload));
}

/** Listens for every stash event; returns the function that stops listening. */
export function listen(target: EventTarget, apply: ApplyUpdate, report: Report): () => void {
  const names = Object.keys(toUpdate) as StashEventName[];
  const listeners = names.map((name) => {
    const listener = (event: Event) => {
      try {
        handle(name, (event as CustomEvent<unknown>).detail, apply, report);
      } catch (error) {
        report("payload", `failed to handle a "${name}" push`, error);
      }
    };
    target.addEventListener(WINDOW_EVENT_PREFIX + name, listener);
    return [WINDOW_EVENT_PREFIX + name, listener] as const;
  });
  return () => {
    for (const [type, listener] of listeners) target.removeEventListener(type, listener);
  };
}

/**
 * Applies one push to its view's entry; a push without `view` (the official server's) is for the
 * page's main view. Returns whether the entry changed.
 */
export function applyPush(state: JoinState, view: string | undefined, update: Update, report: Report): boolean {
  const id = view || document.querySelector(MAIN_VIEW_SELECTOR)?.id;
  if (!id) {
    report("payload", "a push without `view` arrived, but the page has no main LiveView");
    return false;
  }
  const el = document.getElementById(id);
  const place = () => ({
    path: location.pathname,
    main: view === undefined || el?.matches(MAIN_VIEW_SELECTOR) === true,
  });
  // The server will refuse the incomplete set at recovery; until then it is still this view's newest.
  const missing = (count: number) =>
    report("payload", `view ${id}: a per-key stash listed ${count} key(s) with no token; kept the rest`);
  const entry = nextEntry(state.mirror.get(id), update, Date.now(), place, missing);
  if (entry === undefined) return false;
  if (el) state.owners.set(id, ownerOf(el));
  else state.owners.delete(id);
  state.stored.delete(id);
  if (entry === null) state.mirror.delete(id);
  else state.mirror.set(id, entry);
  return true;
}
