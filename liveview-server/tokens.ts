// Browser-memory tokens, shaped like Phoenix.Token: signed (HMAC-SHA256) or encrypted
// (AES-256-GCM), both carrying their signing time so `max_age` is checked on the server.
// Everything cryptographic is node:crypto; this file only frames bytes.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export type SecurityMode = "sign" | "encrypt";
export type VerifyResult = { ok: true; data: unknown } | { ok: false; reason: "invalid" | "expired" };

const SIGN_TAG = "SFMyNTY"; // base64("HS256"), the prefix Phoenix.Token uses
const ENC_TAG = "QTI1NkdDTQ"; // base64("A256GCM")

interface Envelope {
  d: unknown;
  t: number;
  m: number;
}

function key(secret: string, salt: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, salt, purpose, 32));
}

function b64(buf: Buffer): string {
  return buf.toString("base64url");
}

function unb64(text: string | undefined): Buffer | null {
  if (text === undefined || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  return Buffer.from(text, "base64url");
}

export function issueToken(mode: SecurityMode, secret: string, salt: string, data: unknown, now: number, maxAgeSeconds: number): string {
  const plain = Buffer.from(JSON.stringify({ d: data, t: now, m: maxAgeSeconds } satisfies Envelope));
  if (mode === "sign") {
    const body = `${SIGN_TAG}.${b64(plain)}`;
    return `${body}.${b64(createHmac("sha256", key(secret, salt, "sign")).update(body).digest())}`;
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret, salt, "encrypt"), iv);
  cipher.setAAD(Buffer.from(ENC_TAG));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [ENC_TAG, b64(iv), b64(sealed), b64(cipher.getAuthTag())].join(".");
}

function open(mode: SecurityMode, secret: string, salt: string, token: string): Buffer | null {
  const parts = token.split(".");
  if (mode === "sign") {
    if (parts.length !== 3 || parts[0] !== SIGN_TAG) return null;
    const given = unb64(parts[2]);
    const want = createHmac("sha256", key(secret, salt, "sign")).update(`${parts[0]}.${parts[1]}`).digest();
    if (!given || given.length !== want.length || !timingSafeEqual(given, want)) return null;
    return unb64(parts[1]);
  }
  if (parts.length !== 4 || parts[0] !== ENC_TAG) return null;
  const [iv, sealed, tag] = [unb64(parts[1]), unb64(parts[2]), unb64(parts[3])];
  if (!iv || iv.length !== 12 || !sealed || !tag || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(secret, salt, "encrypt"), iv);
    decipher.setAAD(Buffer.from(ENC_TAG));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch {
    return null;
  }
}

/** `maxAgeSeconds` overrides the age stored in the token, as Phoenix.Token.verify's `:max_age` does. */
export function verifyToken(mode: SecurityMode, secret: string, salt: string, token: unknown, now: number, maxAgeSeconds?: number): VerifyResult {
  if (typeof token !== "string" || token.length === 0) return { ok: false, reason: "invalid" };
  const plain = open(mode, secret, salt, token);
  if (!plain) return { ok: false, reason: "invalid" };
  let env: Partial<Envelope>;
  try {
    env = JSON.parse(plain.toString("utf8")) as Partial<Envelope>;
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (typeof env.t !== "number" || typeof env.m !== "number") return { ok: false, reason: "invalid" };
  if (now - env.t > (maxAgeSeconds ?? env.m) * 1000) return { ok: false, reason: "expired" };
  return { ok: true, data: env.d };
}
