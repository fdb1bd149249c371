// One LiveView's stash: recover on mount, stash on change, reset on demand and keep alive
// while the view lives. Mirrors the Elixir shim's statuses and events.
import { randomBytes } from "node:crypto";
import { ACCEPT_KEY, EVENTS, KEYED_CAPABILITY, PARAM_KEY, RESTORED_KEY } from "../../src/core/protocol";
import { issueToken, verifyToken, type VerifyResult } from "../tokens";
import { warn, type Failure } from "./failure";
import { isRecord } from "./is-record";
import { BrowserKeys, named, readKeyedParams, type Seal } from "./keyed";
import { bound, digest, outlivesToken, signLease, verifyLease, type LeaseKey } from "./lease";
import { sameValue } from "./same-value";
import type { StashEnv } from "./env";
import type { StashOptions } from "./options";

export type RecoverStatus = "recovered" | "new" | "not_found" | "error";
export interface Recovery {
  readonly status: RecoverStatus;
  readonly assigns?: Record<string, unknown>;
  /** Stashed LiveComponent states, by component key (see ../components/stash.ts). */
  readonly components?: Record<string, Record<string, unknown>>;
}
/** The component states a view's record carries (see ../components/stash.ts). */
export interface ComponentsSource {
  /** What the record written now carries; the source remembers it as what the record holds. */
  forRecord(): Record<string, Record<string, unknown>>;
  readonly empty: boolean;
}
const NO_COMPONENTS: ComponentsSource = { forRecord: () => ({}), empty: true };
export type PushEvent = (name: string, payload: Record<string, unknown>) => void;

const DEFAULT_TTL = 300;
const NODE_SALT = "live_stash_node";
const NODE_HINT_MAX_AGE = 10 * 365 * 24 * 3600;
const MAX_STASH_ID = 128;
/** How many `accept` entries the shim looks at. */
const MAX_ACCEPT = 16;

/** Whether this join's params announce that the client keeps per-key tokens. */
function acceptsKeys(given: unknown): boolean {
  const accept = isRecord(given) ? given[ACCEPT_KEY] : undefined;
  return Array.isArray(accept) && accept.slice(0, MAX_ACCEPT).includes(KEYED_CAPABILITY);
}

/** A browser token that failed to open: an expired one means nothing usable is stored, not tampering. */
const tokenFailure = (reason: "invalid" | "expired"): Failure =>
  reason === "expired" ? { status: "not_found", reason: "expired" } : { status: "error", reason: "tampered" };

/** What a verified browser record says about itself, judged as the shim's Record.check judges it. */
interface Verified {
  readonly module: unknown;
  readonly instance: unknown;
  readonly version: unknown;
  readonly assigns: Record<string, unknown>;
  readonly components: unknown;
}

export class ViewStash {
  private lastStashed: Record<string, unknown> | undefined;
  private stashId: string | undefined;
  /** The browser token (whole token or manifest) this view's client holds: its digest and when it was signed. */
  private held: { digest: string; issuedAt: number } | undefined;
  /** This join accepts per-key stashes: browser writes push `stash-keys` instead of `stash-state`. */
  private keyed = false;
  private readonly keys: BrowserKeys;
  private components: ComponentsSource = NO_COMPONENTS;
  /** A reload replay recovered a record bound to the old root id: write it again, bound to this one. */
  private rebind = false;

  constructor(
    private readonly env: StashEnv,
    private readonly opts: StashOptions,
    private readonly viewName: string,
    private readonly domId: string,
    private readonly push: PushEvent,
  ) {
    this.keys = new BrowserKeys(this.seal, env.issued);
  }

  get ttl(): number {
    return this.env.ttlSeconds ?? this.opts.ttl ?? DEFAULT_TTL;
  }

  private get version(): string | undefined {
    return this.env.version ?? this.opts.version;
  }

  private get salt(): string {
    return this.opts.secret ?? "live_stash";
  }

  private get seal(): Seal {
    return { mode: this.opts.securityMode ?? "sign", secret: this.env.secret, salt: this.salt };
  }

  private get leaseKey(): LeaseKey {
    return { secret: this.env.secret, salt: this.salt, ttl: this.ttl };
  }

  /** Reads the join params. A first mount (`_mounts` 0) is `new` unless it is a reload replay the view opted into. */
  recover(connectParams: Record<string, unknown>): Recovery {
    const given = connectParams[PARAM_KEY];
    const mounts = connectParams["_mounts"];
    const reconnected = typeof mounts === "number" && Number.isInteger(mounts) && mounts > 0;
    const replay = isRecord(given) && given[RESTORED_KEY] === true && this.opts.recoverAfterReload === true;
    this.keyed = this.env.keys && this.opts.adapter === "browser" && acceptsKeys(given);
    if (!reconnected && !replay) return this.fresh("new");
    if (!isRecord(given)) return this.fresh(given === undefined ? "not_found" : "error");
    return this.opts.adapter === "browser" ? this.recoverToken(given, replay) : this.recoverRow(given, replay);
  }

  /**
   * A record is bound to the view module and to the view instance (its DOM id, stable across
   * reconnects). A reload replay comes from the same view under a new root id, so only the
   * module is checked then.
   */
  private owns(record: { module: unknown; instance: unknown }, replay: boolean): boolean {
    return record.module === this.viewName && (replay || record.instance === this.domId);
  }

  private recoverToken(given: Record<string, unknown>, replay: boolean): Recovery {
    const token = given["stashedState"];
    // A whole token wins over a keyed stash, as the shim reads the params.
    if (!(typeof token === "string" && token !== "") && Object.hasOwn(given, "stashedManifest")) return this.recoverKeys(given, replay);
    if (token === undefined) return this.fresh("not_found");
    const result = this.openToken(token, given["lease"]);
    if (!result.ok) return this.rejected(tokenFailure(result.reason));
    const data = result.data;
    if (!isRecord(data) || !isRecord(data["a"])) return this.rejected({ status: "error", reason: "malformed" });
    const record = { module: data["w"], instance: data["i"], version: data["v"], assigns: data["a"], components: data["c"] };
    return this.take(record, replay, () => this.renew(token as string, given["lease"]));
  }

  /**
   * A per-key stash: the manifest opens as a whole token does (ttl, then a lease for it), every
   * key token must be the one it names, and then the manifest is judged as a whole token is
   * (module, instance, version). Keys that do not match their manifest are refused, never mixed
   * into a state; malformed params are nothing stashed, as the shim reads them.
   */
  private recoverKeys(given: Record<string, unknown>, replay: boolean): Recovery {
    const keyed = readKeyedParams(given);
    if (!keyed) return this.fresh("not_found");
    const result = this.openToken(keyed.manifest, given["lease"]);
    if (!result.ok) return this.rejected(tokenFailure(result.reason));
    const opened = this.keys.open(result.data, keyed.keys, this.env.clock.now(), bound(this.ttl));
    if (!opened.ok) return this.rejected(opened.failure);
    const { manifest, assigns, components } = opened;
    const record = { module: manifest.w, instance: manifest.i, version: manifest.v, assigns, components };
    return this.take(record, replay, () => this.renew(keyed.manifest, given["lease"], manifest.s));
  }

  /** Takes a verified record that is this view's and of its version; a reconnect renews it in place. */
  private take(record: Verified, replay: boolean, renew: () => void): Recovery {
    if (!this.owns(record, replay)) return this.foreign();
    if ((record.version ?? undefined) !== this.version) return this.rejected({ status: "error", reason: "version_mismatch" });
    const recovery = this.recovered(this.pick(record.assigns), record.components);
    this.rebind = record.instance !== this.domId;
    if (!this.rebind) renew();
    return recovery;
  }

  /** One warning naming the view and why, then the client drops its entry (or gets a new id). */
  private rejected(failure: Failure): Recovery {
    warn(this.viewName, this.domId, failure);
    return this.fresh(failure.status);
  }

  /** The official rule first: a token alone lives the ttl from its signing. Past that, only with a lease for it. */
  private openToken(token: unknown, lease: unknown): VerifyResult {
    const [mode, now] = [this.opts.securityMode ?? "sign", this.env.clock.now()];
    const alone = verifyToken(mode, this.env.secret, this.salt, token, now, this.ttl);
    if (alone.ok || alone.reason !== "expired" || !this.env.leases) return alone;
    const leased = verifyLease(this.leaseKey, lease, digest(token as string), now);
    if (!leased.ok) return { ok: false, reason: leased.reason === "invalid" ? "invalid" : "expired" };
    return verifyToken(mode, this.env.secret, this.salt, token, now, bound(this.ttl));
  }

  /**
   * The client already holds the token it recovered with: it gets a lease, not the stash again.
   * Without a valid lease the token was accepted alone, so it was signed within the ttl; assuming
   * the earliest such time re-issues it early, never late. A manifest says when it was sealed.
   * (Before leases, the shim rewrote it.)
   */
  private renew(token: string, lease: unknown, sealedAt?: number): void {
    if (!this.env.leases) return this.write(this.lastStashed!, true);
    const [held, now] = [digest(token), this.env.clock.now()];
    const leased = sealedAt === undefined ? verifyLease(this.leaseKey, lease, held, now) : { ok: true as const, issuedAt: sealedAt };
    this.held = { digest: held, issuedAt: leased.ok ? leased.issuedAt : now - this.ttl * 1000 };
    this.pushLease();
  }

  private pushLease(): void {
    const { digest: held, issuedAt } = this.held!;
    this.emit(EVENTS.lease, { lease: signLease(this.leaseKey, held, issuedAt, this.env.clock.now()), ttl: this.ttl });
  }

  private recoverRow(given: Record<string, unknown>, replay: boolean): Recovery {
    const id = given["stashId"];
    if (id === undefined) return this.fresh("not_found");
    if (typeof id !== "string" || id.length === 0 || id.length > MAX_STASH_ID) return this.fresh("error");
    if (this.opts.adapter === "ets") {
      const hint = verifyToken("encrypt", this.env.secret, NODE_SALT, given["node"], this.env.clock.now());
      if (!hint.ok) return this.rejected({ status: "error", reason: "tampered", detail: "the node hint" });
    }
    const row = this.env.stores[this.opts.adapter as "ets"].get(id);
    if (!row) return this.fresh("not_found");
    if (!this.owns({ module: row.view, instance: row.viewId }, replay)) return this.foreign();
    if (row.version !== this.version) return this.rejected({ status: "error", reason: "version_mismatch" });
    this.stashId = id;
    this.pushInit();
    this.rebind = row.viewId !== this.domId;
    return this.recovered(this.pick(row.assigns), row.components);
  }

  private recovered(assigns: Record<string, unknown>, components?: unknown): Recovery {
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

  /** After the first connected render: a record recovered under an old root id is bound to this one. */
  settle(): void {
    if (this.rebind) this.rewrite();
  }

  /** Rewrites the record (the view's last stashed assigns + components) after a component changed. */
  rewrite(): void {
    this.write(this.lastStashed ?? {});
  }

  /** Nothing usable came back: tell the client to drop its entry (browser) or hand it a new id. */
  private fresh(status: RecoverStatus): Recovery {
    this.lastStashed = undefined;
    this.held = undefined;
    this.keys.forget();
    if (this.opts.adapter === "browser") {
      this.emit(EVENTS.initBrowserMemory, {});
    } else {
      this.newStashId();
    }
    return { status };
  }

  /**
   * The record belongs to another view instance or module (a client that keeps one stash per
   * page sends every view the same one): `not_found`, and the record is left alone for its
   * owner. No init-browser-memory, which would make such a client drop it; a server mode
   * still needs a stash id of its own.
   */
  private foreign(): Recovery {
    warn(this.viewName, this.domId, { status: "not_found", reason: "wrong_view" });
    // The browser keeps that entry for its owner: this view holds none of its keys.
    this.keys.forget();
    if (this.opts.adapter !== "browser") this.newStashId();
    return { status: "not_found" };
  }

  private newStashId(): void {
    this.stashId = randomBytes(16).toString("base64url");
    this.pushInit();
  }

  /** Writes only when a stored key changed since the last stash, so "Add Zero" costs no event. */
  stash(assigns: Record<string, unknown>): void {
    const picked = this.pick(assigns);
    if (this.lastStashed !== undefined && sameValue(picked, this.lastStashed)) return;
    this.lastStashed = picked;
    this.write(picked);
  }

  reset(): void {
    this.lastStashed = undefined;
    this.held = undefined;
    this.keys.forget();
    if (this.opts.adapter === "browser") this.emit(EVENTS.initBrowserMemory, {});
    else if (this.stashId) this.env.stores[this.opts.adapter as "ets"].delete(this.stashId);
  }

  /**
   * Called every ttl/4 while the view lives: server rows get their expiry pushed back, and a
   * browser token gets a fresh lease, so the ttl also counts from the view's last sign of life.
   * The token itself is re-issued only near its absolute bound.
   */
  keepAlive(): void {
    if (this.opts.adapter !== "browser") {
      if (this.stashId) this.env.stores[this.opts.adapter as "ets"].bump(this.stashId, this.ttl);
    } else if (this.lastStashed || !this.components.empty) {
      const stale = !this.held || outlivesToken(this.held.issuedAt, this.ttl, this.env.clock.now());
      if (!this.env.leases || stale) this.write(this.lastStashed ?? {}, true);
      else this.pushLease();
    }
  }

  /** `force`: the keep-alive's re-issue, which a keyed stash pushes even with no key changed. */
  private write(assigns: Record<string, unknown>, force = false): void {
    this.rebind = false;
    if (this.opts.adapter === "browser") {
      const [c, now] = [this.components.forRecord(), this.env.clock.now()];
      const maxAge = this.env.leases ? bound(this.ttl) : this.ttl;
      if (this.keyed) {
        // Without leases every re-issue re-sends every key, as whole tokens were re-sent.
        const stale = (sealedAt: number) => !this.env.leases || outlivesToken(sealedAt, this.ttl, now);
        const owner = { w: this.viewName, i: this.domId, v: this.version ?? null };
        const push = this.keys.write(named(assigns, c), owner, now, maxAge, force, stale);
        if (!push) return;
        this.held = { digest: digest(push.manifest), issuedAt: now };
        this.emit(EVENTS.stashKeys, { ...push });
        return;
      }
      const data = { v: this.version ?? null, a: assigns, w: this.viewName, i: this.domId, ...(Object.keys(c).length > 0 ? { c } : {}) };
      const token = issueToken(this.opts.securityMode ?? "sign", this.env.secret, this.salt, data, now, maxAge);
      this.held = { digest: digest(token), issuedAt: now };
      this.env.issued.add(token);
      this.emit(EVENTS.stashState, { assigns: token });
      return;
    }
    if (!this.stashId) this.fresh("new");
    const row = { assigns, version: this.version, view: this.viewName, viewId: this.domId, components: this.components.forRecord() };
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
}
