// One LiveView's stash: recover on mount, stash on change, reset on demand and keep alive
// while the view lives. Mirrors the Elixir shim's statuses and events.
import { createHash, randomBytes } from "node:crypto";
import { EVENTS, PARAM_KEY, RESTORED_KEY } from "../../../src/protocol";
import { issueToken, verifyToken } from "../tokens";
import type { StashEnv } from "./env";
import type { StashOptions } from "./options";

export type RecoverStatus = "recovered" | "new" | "not_found" | "error";
export interface Recovery {
  readonly status: RecoverStatus;
  readonly assigns?: Record<string, unknown>;
  /** Stashed LiveComponent states, by component key (see ../components/stash.ts). */
  readonly components?: Record<string, Record<string, unknown>>;
}
/** The component states to write along with the view's own assigns. */
export type ComponentsSource = () => Record<string, Record<string, unknown>>;
export type PushEvent = (name: string, payload: Record<string, unknown>) => void;

const DEFAULT_TTL = 300;
const NODE_SALT = "live_stash_node";
const NODE_HINT_MAX_AGE = 10 * 365 * 24 * 3600;
const MAX_STASH_ID = 128;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class ViewStash {
  private fingerprint: string | undefined;
  private lastStashed: Record<string, unknown> | undefined;
  private stashId: string | undefined;
  private components: ComponentsSource = () => ({});

  constructor(
    private readonly env: StashEnv,
    private readonly opts: StashOptions,
    private readonly viewName: string,
    private readonly domId: string,
    private readonly push: PushEvent,
  ) {}

  get ttl(): number {
    return this.env.ttlSeconds ?? this.opts.ttl ?? DEFAULT_TTL;
  }

  private get version(): string | undefined {
    return this.env.version ?? this.opts.version;
  }

  private get salt(): string {
    return this.opts.secret ?? "live_stash";
  }

  /** Reads the join params. A first mount (`_mounts` 0) is `new` unless it is a reload replay the view opted into. */
  recover(connectParams: Record<string, unknown>): Recovery {
    const given = connectParams[PARAM_KEY];
    const mounts = connectParams["_mounts"];
    const reconnected = typeof mounts === "number" && Number.isInteger(mounts) && mounts > 0;
    const replay = isRecord(given) && given[RESTORED_KEY] === true && this.opts.recoverAfterReload === true;
    if (!reconnected && !replay) return this.fresh("new");
    if (!isRecord(given)) return this.fresh(given === undefined ? "not_found" : "error");
    return this.opts.adapter === "browser" ? this.recoverToken(given) : this.recoverRow(given);
  }

  private recoverToken(given: Record<string, unknown>): Recovery {
    const token = given["stashedState"];
    if (token === undefined) return this.fresh("not_found");
    const result = verifyToken(this.opts.securityMode ?? "sign", this.env.secret, this.salt, token, this.env.clock.now());
    if (!result.ok) return this.fresh(result.reason === "expired" ? "not_found" : "error");
    const data = result.data;
    if (!isRecord(data) || data["w"] !== this.viewName || !isRecord(data["a"])) return this.fresh("error");
    if ((data["v"] ?? undefined) !== this.version) return this.fresh("error");
    return this.recovered(this.pick(data["a"]), data["c"]);
  }

  private recoverRow(given: Record<string, unknown>): Recovery {
    const id = given["stashId"];
    if (id === undefined) return this.fresh("not_found");
    if (typeof id !== "string" || id.length === 0 || id.length > MAX_STASH_ID) return this.fresh("error");
    if (this.opts.adapter === "ets") {
      const hint = verifyToken("encrypt", this.env.secret, NODE_SALT, given["node"], this.env.clock.now());
      if (!hint.ok) return this.fresh("error");
    }
    const row = this.env.stores[this.opts.adapter as "ets"].get(id);
    if (!row) return this.fresh("not_found");
    if (row.view !== this.viewName || row.version !== this.version) return this.fresh("error");
    this.stashId = id;
    this.pushInit();
    return this.recovered(this.pick(row.assigns), row.components);
  }

  private recovered(assigns: Record<string, unknown>, components?: unknown): Recovery {
    this.fingerprint = this.hash(assigns);
    this.lastStashed = assigns;
    const comps = isRecord(components) ? (components as Record<string, Record<string, unknown>>) : {};
    // Only components were stashed: nothing to recover for the view itself.
    const status = Object.keys(assigns).length === 0 ? "not_found" : "recovered";
    return { status, assigns, components: comps };
  }

  /** Components write through their view's stash: one token / row per view. */
  carryComponents(source: ComponentsSource): void {
    this.components = source;
  }

  /** Rewrites the record (the view's last stashed assigns + components) after a component changed. */
  rewrite(): void {
    this.write(this.lastStashed ?? {});
  }

  /** Nothing usable came back: tell the client to drop its entry (browser) or hand it a new id. */
  private fresh(status: RecoverStatus): Recovery {
    this.fingerprint = undefined;
    this.lastStashed = undefined;
    if (this.opts.adapter === "browser") {
      this.emit(EVENTS.initBrowserMemory, {});
    } else {
      this.stashId = randomBytes(16).toString("base64url");
      this.pushInit();
    }
    return { status };
  }

  /** Writes only when the stored keys' fingerprint changed, so "Add Zero" costs no event. */
  stash(assigns: Record<string, unknown>): void {
    const picked = this.pick(assigns);
    const fp = this.hash(picked);
    if (fp === this.fingerprint) return;
    this.fingerprint = fp;
    this.lastStashed = picked;
    this.write(picked);
  }

  reset(): void {
    this.fingerprint = undefined;
    this.lastStashed = undefined;
    if (this.opts.adapter === "browser") this.emit(EVENTS.initBrowserMemory, {});
    else if (this.stashId) this.env.stores[this.opts.adapter as "ets"].delete(this.stashId);
  }

  /**
   * Called every ttl/4 while the view lives: server rows get their expiry pushed back, and a
   * browser token is re-issued so `max_age` also counts from the view's last sign of life.
   */
  keepAlive(): void {
    if (this.opts.adapter !== "browser") {
      if (this.stashId) this.env.stores[this.opts.adapter as "ets"].bump(this.stashId, this.ttl);
    } else if (this.lastStashed || Object.keys(this.components()).length > 0) {
      this.write(this.lastStashed ?? {});
    }
  }

  private write(assigns: Record<string, unknown>): void {
    if (this.opts.adapter === "browser") {
      const c = this.components();
      const data = { v: this.version ?? null, a: assigns, w: this.viewName, ...(Object.keys(c).length > 0 ? { c } : {}) };
      const token = issueToken(this.opts.securityMode ?? "sign", this.env.secret, this.salt, data, this.env.clock.now(), this.ttl);
      this.env.issued.add(token);
      this.emit(EVENTS.stashState, { assigns: token });
      return;
    }
    if (!this.stashId) this.fresh("new");
    const row = { assigns, version: this.version, view: this.viewName, components: this.components() };
    this.env.stores[this.opts.adapter as "ets"].put(this.stashId!, row, this.ttl);
  }

  private pushInit(): void {
    const id = this.stashId!;
    this.env.issued.add(id);
    if (this.opts.adapter === "ets") {
      const node = issueToken("encrypt", this.env.secret, NODE_SALT, this.env.nodeName, this.env.clock.now(), NODE_HINT_MAX_AGE);
      this.env.issued.add(node);
      this.emit(EVENTS.initEts, { node, stashId: id });
    } else {
      this.emit(this.opts.adapter === "redis" ? EVENTS.initRedis : EVENTS.initMnesia, { stashId: id });
    }
  }

  private emit(name: string, payload: Record<string, unknown>): void {
    this.push(name, this.env.includeView ? { ...payload, view: this.domId } : payload);
  }

  private pick(assigns: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.opts.storedKeys) if (k in assigns) out[k] = assigns[k];
    return out;
  }

  private hash(assigns: Record<string, unknown>): string {
    const ordered = this.opts.storedKeys.map((k) => [k, assigns[k] ?? null]);
    return createHash("sha256").update(JSON.stringify(ordered)).digest("hex");
  }
}
