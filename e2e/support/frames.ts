// Bytes on the wire, as the browser sees them: every websocket frame the page receives, from
// Playwright's websocket frame events.
import type { Page } from "@playwright/test";

export interface Frames {
  /** Every frame received so far, oldest first, as text. */
  readonly received: string[];
}

/** Starts recording before the page opens its socket; later sockets (reconnects) are recorded too. */
export function recordFrames(page: Page): Frames {
  const frames: Frames = { received: [] };
  page.on("websocket", (ws) => {
    ws.on("framereceived", ({ payload }) => frames.received.push(typeof payload === "string" ? payload : payload.toString("utf8")));
  });
  return frames;
}

export const bytes = (frame: string): number => Buffer.byteLength(frame, "utf8");
