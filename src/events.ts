// Server pushes arrive as window events. Each is validated, then turned into an update of one
// view's entry: a new stash, a lease for the browser token it holds, a per-key stash to merge into
// the keys it holds, or `null` to clear it.
import type { Report } from "./errors.js";
import { EVENTS, payloadSchemas, WINDOW_EVENT_PREFIX, type StashEventName, type StashKind, type StashParams } from "./protocol.js";

export type Lease = { lease: string; ttl: number | undefined };
/** A per-key stash: `keys` holds the changed keys' tokens, `names` every current key. */
export type Keys = { manifest: string; keys: Record<string, string>; names: string[] };
export type Update = { kind: StashKind; params: StashParams } | Lease | Keys | null;
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
  return () => listeners.forEach(([type, listener]) => target.removeEventListener(type, listener));
}
