// Per-key stashes as the browser sees them: the stash-keys pushes in received frames, and what
// each server push costs on the wire.
import { EVENTS } from "../../src/core/protocol";
import { bytes, messages, type Frames } from "../../liveview-server/frames";

export interface KeysPush {
  readonly manifest: string;
  readonly keys: Record<string, string>;
  readonly names: string[];
  readonly view?: string;
}

type Events = [string, unknown][] | undefined;

/** The `push_event`s one channel message carries: in a join reply's rendered, an event reply's diff, or a server diff. */
function events(message: unknown[]): [string, unknown][] {
  const payload = message[4] as
    | { e?: Events; response?: { rendered?: { e?: Events }; diff?: { e?: Events } } }
    | undefined;
  return [...(payload?.e ?? []), ...(payload?.response?.rendered?.e ?? []), ...(payload?.response?.diff?.e ?? [])];
}

/** Every stash-keys push received so far, oldest first. */
export function stashKeysPushes(frames: Frames): KeysPush[] {
  return messages(frames.received).flatMap((m) =>
    events(m)
      .filter(([name]) => name === EVENTS.stashKeys)
      .map(([, payload]) => payload as KeysPush),
  );
}

/** Runs `action` and returns the frames received meanwhile, with their total size in bytes. */
export async function receivedDuring(
  frames: Frames,
  action: () => Promise<void>,
): Promise<{ frames: string[]; bytes: number }> {
  const before = frames.received.length;
  await action();
  const during = frames.received.slice(before);
  return { frames: during, bytes: during.reduce((n, f) => n + bytes(f), 0) };
}
