/**
 * True when this document is the same page coming back (reload, back/forward, restore of a
 * discarded tab), as opposed to a fresh navigation, where a stash must never be replayed.
 */
export function isRestoredPage(win: Window = window): boolean {
  const [navigation] = win.performance?.getEntriesByType?.("navigation") ?? [];
  const type = (navigation as PerformanceNavigationTiming | undefined)?.type;
  const discarded = (win.document as Document & { wasDiscarded?: boolean }).wasDiscarded === true;
  return type === "reload" || type === "back_forward" || discarded;
}
