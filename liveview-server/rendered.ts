// The LiveView rendered format, reduced to what our views need: one statics array with
// string dynamics. Dynamics must be strings: a JSON number would be read as a component id.
// A nested node (an object with its own "s") is sent whole whenever it changes; the
// component list uses one (see components/host.ts).

export type Dynamic = string | Readonly<Record<string, unknown>>;
export type Dynamics = readonly Dynamic[];

function same(a: Dynamic | undefined, b: Dynamic): boolean {
  return typeof b === "string" ? a === b : JSON.stringify(a) === JSON.stringify(b);
}
export type EventEntry = readonly [string, Record<string, unknown>];

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function fullRender(
  statics: readonly string[],
  dyn: Dynamics,
  events: readonly EventEntry[],
  title?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { s: statics };
  dyn.forEach((d, i) => {
    out[String(i)] = d;
  });
  if (title !== undefined) out["t"] = title;
  if (events.length > 0) out["e"] = events;
  return out;
}

/** Only the dynamics that changed; an empty diff still delivers its events. */
export function diffRender(prev: Dynamics, next: Dynamics, events: readonly EventEntry[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  next.forEach((d, i) => {
    if (!same(prev[i], d)) out[String(i)] = d;
  });
  if (events.length > 0) out["e"] = events;
  return out;
}

/** The HTML a dead render puts in the container; the join render replaces it. */
export function toHtml(statics: readonly string[], dyn: Dynamics): string {
  const html = (d: Dynamic | undefined): string => (typeof d === "string" ? d : "");
  return statics.map((s, i) => s + html(dyn[i])).join("");
}
