// Tampering with what crosses the wire, from the browser's side of the socket, so tests can
// feed the server bad join params the real client would never produce.
import type { Page } from "@playwright/test";
import { PARAM_KEY } from "../../src/core/protocol";
import { isAtom, signedTerm, walk } from "./etf";

export type ParamsRewrite = (liveStash: unknown) => unknown;

/**
 * Routes the page's LiveView websocket through Playwright. `next()` arms a rewrite of the
 * `liveStash` join param for the next phx_join only; every other frame passes unchanged.
 */
export async function interceptJoins(page: Page): Promise<{ next(rewrite: ParamsRewrite): void }> {
  let pending: ParamsRewrite | undefined;
  await page.routeWebSocket(/\/live\/websocket/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (pending && typeof message === "string") {
        const frame = JSON.parse(message) as [unknown, unknown, string, string, { params?: Record<string, unknown> }];
        if (frame[3] === "phx_join" && frame[4].params) {
          frame[4].params[PARAM_KEY] = pending(frame[4].params[PARAM_KEY]);
          pending = undefined;
          server.send(JSON.stringify(frame));
          return;
        }
      }
      server.send(message);
    });
  });
  return {
    next(rewrite) {
      pending = rewrite;
    },
  };
}

/** The view module a signed browser token or manifest was issued for (the first module it names). */
export function signedTokenView(token: unknown): string | undefined {
  const term = signedTerm(token);
  if (term === undefined) return undefined;
  for (const t of walk(term)) if (isAtom(t) && t.atom.startsWith("Elixir.")) return t.atom.slice("Elixir.".length);
  return undefined;
}

/** Flips one character in the middle of a token: same length and alphabet, wrong bytes. */
export function tamper(token: string): string {
  const i = Math.floor(token.length / 2);
  return token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
}
