// The one shape check every stash reader starts with: a plain JSON object, not null or an array.

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
