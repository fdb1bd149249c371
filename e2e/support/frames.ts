// Bytes on the wire, as the browser sees them: every websocket frame the page receives, from
// Playwright's websocket frame events.
import type { Page } from "@playwright/test";

export interface Frames {
  /** Every frame received so far, oldest first, as text. */
  readonly received: string[];
  readonly sent: string[];
}

/** Starts recording before the page opens its socket; later sockets (reconnects) are recorded too. */
export function recordFrames(page: Page): Frames {
  const frames: Frames = { received: [], sent: [] };
  const text = (payload: string | Buffer) => (typeof payload === "string" ? payload : payload.toString("utf8"));
  page.on("websocket", (ws) => {
    ws.on("framereceived", ({ payload }) => frames.received.push(text(payload)));
    ws.on("framesent", ({ payload }) => frames.sent.push(text(payload)));
  });
  return frames;
}

export const bytes = (frame: string): number => Buffer.byteLength(frame, "utf8");
