// One websocket: Phoenix channels v2 framing ([join_ref, ref, topic, event, payload]),
// heartbeats, and the lv:* channels on it. Refs are echoed as the client sent them (strings).
import type { WebSocket } from "ws";
import { LiveViewProcess } from "./live-view-process";
import type { Sessions } from "./session";
import type { StashContext } from "./bridge/stash-context";
import type { ViewDef } from "./views/view-def";

export const LIVEVIEW_VERSION = "1.2.12";

type Ref = string | null;
type Frame = [Ref, Ref, string, string, unknown];

export interface JoinRecord {
  readonly topic: string;
  readonly params: Record<string, unknown>;
  readonly url: string | undefined;
  readonly redirect: string | undefined;
  readonly status: unknown;
}

export interface AppContext {
  /** Resolves once the BEAM is up; joins wait for it. */
  readonly stash: Promise<StashContext>;
  readonly sessions: Sessions;
  readonly views: Readonly<Record<string, ViewDef>>;
  readonly routes: Readonly<Record<string, string>>;
  readonly joins: JoinRecord[];
}

interface Joined {
  readonly joinRef: string;
  readonly proc: LiveViewProcess;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export class Connection {
  private readonly channels = new Map<string, Joined>();
  /** Frames are handled one at a time, in order, as a channel process takes its mailbox. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    private readonly app: AppContext,
  ) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      this.queue = this.queue.then(() => this.receive(text)).catch((error: unknown) => this.failed(error));
    });
    ws.on("close", () => {
      for (const { proc } of this.channels.values()) proc.stop("closed");
      this.channels.clear();
    });
  }

  private send(frame: Frame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private reply(joinRef: Ref, ref: Ref, topic: string, status: "ok" | "error", response: unknown): void {
    this.send([joinRef, ref, topic, "phx_reply", { status, response }]);
  }

  /** A frame whose handling failed (the BEAM gone, or a view crashed in it): said loudly, the socket dropped. */
  private failed(error: unknown): void {
    console.error(`liveview-server: ${error instanceof Error ? error.message : String(error)}`);
    this.terminate();
  }

  private async receive(text: string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(frame) || frame.length !== 5 || typeof frame[2] !== "string" || typeof frame[3] !== "string")
      return;
    const [joinRef, ref, topic, event, payload] = frame as Frame;
    if (topic === "phoenix") {
      this.reply(null, ref, topic, "ok", {});
    } else if (event === "phx_join" && topic.startsWith("lv:") && typeof joinRef === "string") {
      await this.join(joinRef, topic, record(payload));
    } else if (event === "phx_leave") {
      this.leave(joinRef, ref, topic);
    } else {
      await this.push(joinRef, ref, topic, event, record(payload));
    }
  }

  private async join(joinRef: string, topic: string, payload: Record<string, unknown>): Promise<void> {
    this.channels.get(topic)?.proc.stop("closed");
    this.channels.delete(topic);
    const params = record(payload["params"]);
    const url = typeof payload["url"] === "string" ? payload["url"] : undefined;
    const redirect = typeof payload["redirect"] === "string" ? payload["redirect"] : undefined;
    const fromSession = this.app.sessions.verify(payload["session"]);
    const href = url ?? redirect;
    // Roots are routed by URL (a live redirect keeps the old session); children by their session.
    const viewKey = href === undefined ? fromSession : this.app.routes[new URL(href).pathname];
    const def = viewKey === undefined || fromSession === undefined ? undefined : this.app.views[viewKey];
    if (!def) {
      this.app.joins.push({ topic, params, url, redirect, status: "stale" });
      this.reply(joinRef, joinRef, topic, "error", { reason: "stale" });
      return;
    }
    const domId = topic.slice(3);
    let joined: LiveViewProcess | undefined;
    const { proc, rendered } = await LiveViewProcess.join({
      def,
      domId,
      ctx: { domId, childSession: (k) => this.app.sessions.sign(k, domId) },
      stash: await this.app.stash,
      params,
      nested: href === undefined,
      hooks: {
        // Queued like a frame: what the library pushed after an event's stash (its component
        // sweep, say) goes out after that event's reply, in the order the library made them.
        pushDiff: (diff) => {
          this.queue = this.queue.then(() => {
            if (joined && this.channels.get(topic)?.proc === joined) this.send([joinRef, null, topic, "diff", diff()]);
          });
        },
        // Queued behind the frame being handled, so the current reply goes out first.
        crash: () => {
          this.queue = this.queue.then(() => void this.crash(topic));
        },
      },
    });
    joined = proc;
    this.channels.set(topic, { joinRef, proc });
    this.app.joins.push({ topic, params, url, redirect, status: proc.status });
    this.reply(joinRef, joinRef, topic, "ok", { rendered, liveview_version: LIVEVIEW_VERSION });
  }

  private leave(joinRef: Ref, ref: Ref, topic: string): void {
    this.reply(joinRef, ref, topic, "ok", {});
    const joined = this.channels.get(topic);
    if (joined && joined.joinRef === joinRef) {
      joined.proc.stop("closed");
      this.channels.delete(topic);
      this.send([joinRef, joinRef, topic, "phx_close", {}]);
    }
  }

  private async push(
    joinRef: Ref,
    ref: Ref,
    topic: string,
    event: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const joined = this.channels.get(topic);
    if (!joined || joined.joinRef !== joinRef) {
      this.reply(joinRef, ref, topic, "error", { reason: "unmatched topic" });
      return;
    }
    if (event === "event") {
      const cid = typeof payload["cid"] === "number" ? payload["cid"] : undefined;
      const diff = await joined.proc.handleEvent(String(payload["event"]), record(payload["value"]), cid);
      this.reply(joinRef, ref, topic, "ok", { diff });
    } else if (event === "cids_destroyed") {
      const cids = Array.isArray(payload["cids"])
        ? payload["cids"].filter((c): c is number => typeof c === "number")
        : [];
      this.reply(joinRef, ref, topic, "ok", { cids: await joined.proc.destroyCids(cids) });
    } else {
      this.reply(joinRef, ref, topic, "ok", {});
    }
  }

  /** The LiveView process dies: the client sees `phx_error`, then rejoins with `_mounts` > 0. */
  crash(topic: string): boolean {
    const joined = this.channels.get(topic);
    if (!joined) return false;
    joined.proc.stop("kill");
    this.channels.delete(topic);
    this.send([joined.joinRef, joined.joinRef, topic, "phx_error", { reason: "channel_crash" }]);
    return true;
  }

  keepAliveNow(): number {
    for (const { proc } of this.channels.values()) proc.keepAlive();
    return this.channels.size;
  }

  topics(): string[] {
    return [...this.channels.keys()];
  }

  /** Drop the TCP connection without a close frame (code 1006 for the client), as a dying node would. */
  terminate(): void {
    this.ws.terminate();
  }
}
