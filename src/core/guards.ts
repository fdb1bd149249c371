// Shape checks that zod/mini runs through `z.custom`. A `z.record` or `z.array` would add a schema
// kind to the browser bundle (0.7 KB gzip for `z.record`) for no stricter check than these.

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const isStringRecord = (value: unknown): value is Record<string, string> =>
  isRecord(value) && Object.values(value).every((item) => typeof item === "string");

export const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");
