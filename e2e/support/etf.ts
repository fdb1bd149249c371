// Reads what the library's signed tokens carry (Erlang's external term format), for the few
// tests that look inside a stash: which view a token names, which component states a record
// holds. Only signed tokens are readable; the layouts are the library's, so helpers search the
// decoded term for what they need instead of indexing into it.
import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";

export type Term =
  | number
  | bigint
  | string
  | Buffer
  | { atom: string }
  | { tuple: Term[] }
  | { pairs: [Term, Term][] }
  | Term[];

export function decodeTerm(bytes: Buffer): Term {
  if (bytes[0] !== 131) throw new Error("not the external term format");
  if (bytes[1] === 80) return decodeTerm(Buffer.concat([Buffer.from([131]), inflateSync(bytes.subarray(6))]));
  return read(bytes, 1).term;
}

function read(b: Buffer, at: number): { term: Term; next: number } {
  const tag = b[at]!;
  const p = at + 1;
  const many = (count: number, from: number): { items: Term[]; next: number } => {
    const items: Term[] = [];
    let next = from;
    for (let i = 0; i < count; i++) ({ term: items[i]!, next } = read(b, next));
    return { items, next };
  };
  switch (tag) {
    case 97:
      return { term: b[p]!, next: p + 1 };
    case 98:
      return { term: b.readInt32BE(p), next: p + 4 };
    case 70:
      return { term: b.readDoubleBE(p), next: p + 8 };
    case 100:
    case 118: {
      const n = b.readUInt16BE(p);
      return { term: { atom: b.toString("utf8", p + 2, p + 2 + n) }, next: p + 2 + n };
    }
    case 115:
    case 119: {
      const n = b[p]!;
      return { term: { atom: b.toString("utf8", p + 1, p + 1 + n) }, next: p + 1 + n };
    }
    case 104:
    case 105: {
      const n = tag === 104 ? b[p]! : b.readUInt32BE(p);
      const { items, next } = many(n, p + (tag === 104 ? 1 : 4));
      return { term: { tuple: items }, next };
    }
    case 106:
      return { term: [], next: p };
    case 107: {
      const n = b.readUInt16BE(p);
      return { term: [...b.subarray(p + 2, p + 2 + n)], next: p + 2 + n };
    }
    case 108: {
      const { items, next } = many(b.readUInt32BE(p), p + 4);
      return { term: items, next: read(b, next).next };
    }
    case 109: {
      const n = b.readUInt32BE(p);
      return { term: b.subarray(p + 4, p + 4 + n), next: p + 4 + n };
    }
    case 110:
    case 111: {
      const n = tag === 110 ? b[p]! : b.readUInt32BE(p);
      const start = p + (tag === 110 ? 1 : 4);
      let value = 0n;
      for (let i = n - 1; i >= 0; i--) value = (value << 8n) + BigInt(b[start + 1 + i]!);
      return { term: b[start] ? -value : value, next: start + 1 + n };
    }
    case 116: {
      const { items, next } = many(2 * b.readUInt32BE(p), p + 4);
      const map: [Term, Term][] = [];
      for (let i = 0; i < items.length; i += 2) map.push([items[i]!, items[i + 1]!]);
      return { term: { pairs: map }, next };
    }
    default:
      throw new Error(`external term tag ${tag} not read here`);
  }
}

/** The term a signed token carries, with nested serialised terms decoded too; undefined for anything else. */
export function signedTerm(token: unknown): Term | undefined {
  if (typeof token !== "string" || !token.startsWith("SFMyNTY.")) return undefined;
  const body = token.split(".")[1];
  if (!body) return undefined;
  try {
    return unwrap(decodeTerm(Buffer.from(body, "base64url")));
  } catch {
    return undefined;
  }
}

function unwrap(term: Term): Term {
  if (Buffer.isBuffer(term)) {
    if (term[0] !== 131) return term;
    try {
      return unwrap(decodeTerm(term));
    } catch {
      return term;
    }
  }
  if (Array.isArray(term)) return term.map(unwrap);
  if (typeof term === "object" && "tuple" in term) return { tuple: term.tuple.map(unwrap) };
  if (typeof term === "object" && "pairs" in term)
    return { pairs: term.pairs.map(([k, v]) => [unwrap(k), unwrap(v)] as [Term, Term]) };
  return term;
}

/** Every sub-term, depth first. */
export function* walk(term: Term): Generator<Term> {
  yield term;
  if (Array.isArray(term)) for (const t of term) yield* walk(t);
  else if (typeof term === "object" && "tuple" in term) for (const t of term.tuple) yield* walk(t);
  else if (typeof term === "object" && "pairs" in term)
    for (const [k, v] of term.pairs) {
      yield* walk(k);
      yield* walk(v);
    }
}

export const isAtom = (term: Term, name?: string): term is { atom: string } =>
  typeof term === "object" &&
  !Buffer.isBuffer(term) &&
  !Array.isArray(term) &&
  "atom" in term &&
  (name === undefined || term.atom === name);

/** The first 16 bytes of SHA-256 of a token's text, as the library binds a key token to its manifest. */
export const digest = (token: string): Buffer => createHash("sha256").update(token).digest().subarray(0, 16);
