// Browser-token leases, as the shim's LiveStash.Lease: a small signed note over the digest of the
// one token it extends and when that token was signed, valid for the ttl. The token itself
// carries a longer absolute bound and is re-issued shortly before it.
import { createHash, timingSafeEqual } from "node:crypto";
import { issueToken, verifyToken } from "../tokens";

const MIN_BOUND = 86_400;

/** Seconds a leased browser token is good for. */
export const bound = (ttl: number): number => Math.max(MIN_BOUND, 4 * ttl);

/** 128 bits of SHA-256 name a token well enough: the token must carry the server's signature too. */
export const digest = (token: string): string => createHash("sha256").update(token).digest().subarray(0, 16).toString("base64url");

export interface LeaseKey {
  readonly secret: string;
  readonly salt: string;
  readonly ttl: number;
}

/** Its own salt keeps a lease from passing for a stash token, and the other way round. */
const leaseSalt = (salt: string) => `${salt}/lease`;

export function signLease(key: LeaseKey, tokenDigest: string, issuedAt: number, now: number): string {
  return issueToken("sign", key.secret, leaseSalt(key.salt), { h: tokenDigest, i: issuedAt }, now, key.ttl);
}

export type LeaseResult = { ok: true; issuedAt: number } | { ok: false; reason: "missing" | "expired" | "invalid" };

/** Checks `lease` against the token with `tokenDigest`; a lease for another token is invalid. */
export function verifyLease(key: LeaseKey, lease: unknown, tokenDigest: string, now: number): LeaseResult {
  if (lease === undefined) return { ok: false, reason: "missing" };
  const result = verifyToken("sign", key.secret, leaseSalt(key.salt), lease, now, key.ttl);
  if (!result.ok) return result;
  const data = result.data as { h?: unknown; i?: unknown } | null;
  if (typeof data?.h !== "string" || typeof data.i !== "number") return { ok: false, reason: "invalid" };
  const [held, want] = [Buffer.from(data.h), Buffer.from(tokenDigest)];
  return held.length === want.length && timingSafeEqual(held, want) ? { ok: true, issuedAt: data.i } : { ok: false, reason: "invalid" };
}

/** A lease issued now, plus a beat of margin, would outlive the token: re-issue the token instead. */
export const outlivesToken = (issuedAt: number, ttl: number, now: number): boolean => now + 1.25 * ttl * 1000 >= issuedAt + bound(ttl) * 1000;
