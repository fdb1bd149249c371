// data-phx-session tokens: which view module a container runs, signed so a client cannot
// pick another. Same secret across restarts, so a page outlives its server process.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Sessions {
  /** Stable per (view, parent) like a real live_render's session, so re-renders keep the container. */
  sign(viewKey: string, parentId?: string): string;
  verify(token: unknown): string | undefined;
}

export function createSessions(secret: string): Sessions {
  const mac = (body: string): Buffer => createHmac("sha256", secret).update(`lv_session:${body}`).digest();
  return {
    sign(viewKey, parentId = "") {
      const body = Buffer.from(JSON.stringify({ view: viewKey, parent: parentId })).toString("base64url");
      return `${body}.${mac(body).toString("base64url")}`;
    },
    verify(token) {
      if (typeof token !== "string") return undefined;
      const [body, sig] = token.split(".");
      if (!body || !sig) return undefined;
      const given = Buffer.from(sig, "base64url");
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const view = (JSON.parse(Buffer.from(body, "base64url").toString()) as { view?: unknown }).view;
        return typeof view === "string" ? view : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
