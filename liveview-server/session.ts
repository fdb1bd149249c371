// data-phx-session tokens: which view module a container runs, signed so a client cannot
// pick another. Same secret across restarts, so a page outlives its server process.
import { issueToken, verifyToken } from "./tokens";

const SALT = "lv_session";
const FOREVER = 10 * 365 * 24 * 3600;

export interface Sessions {
  /** Stable per (view, parent) like a real live_render's session, so re-renders keep the container. */
  sign(viewKey: string, parentId?: string): string;
  verify(token: unknown): string | undefined;
}

export function createSessions(secret: string, now: () => number): Sessions {
  const cache = new Map<string, string>();
  return {
    sign(viewKey, parentId = "") {
      const key = `${viewKey} ${parentId}`;
      const token = cache.get(key) ?? issueToken("sign", secret, SALT, { view: viewKey }, now(), FOREVER);
      cache.set(key, token);
      return token;
    },
    verify(token) {
      const r = verifyToken("sign", secret, SALT, token, now());
      if (!r.ok || typeof r.data !== "object" || r.data === null) return undefined;
      const view = (r.data as { view?: unknown }).view;
      return typeof view === "string" ? view : undefined;
    },
  };
}
