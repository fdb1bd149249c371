// The LiveView websocket as the browser sees it: every frame the page sends and receives, from
// Playwright's websocket frame events, as text (`bytes` counts them, `messages` parses them).
import type { Page } from "@playwright/test";

export interface Frames {
  /** Every frame sent so far, oldest first, as text. */
  readonly sent: string[];
  /** Every frame received so far, oldest first, as text. */
  readonly received: string[];
}

const text = (payload: string | Buffer): string => (typeof payload === "string" ? payload : payload.toString("utf8"));

/** Starts recording before the page opens its socket; later sockets (reconnects) are recorded too. */
export function recordFrames(page: Page): Frames {
  const frames: Frames = { sent: [], received: [] };
  page.on("websocket", (ws) => {
    if (!ws.url().includes("/live/websocket")) return;
    ws.on("framesent", ({ payload }) => frames.sent.push(text(payload)));
    ws.on("framereceived", ({ payload }) => frames.received.push(text(payload)));
  });
  return frames;
}

export const bytes = (frame: string): number => Buffer.byteLength(frame, "utf8");

/** Channel messages, `[joinRef, ref, topic, event, payload]`, parsed from frames. */
export const messages = (frames: readonly string[]): unknown[][] =>
  frames.map((frame) => JSON.parse(frame) as unknown[]);
