// How this page load came about: the same page coming back, or a fresh navigation.

/** The browser discarded this tab to save memory, and this load restores it. */
export const wasDiscarded = (doc: Document): boolean =>
  (doc as Document & { wasDiscarded?: boolean }).wasDiscarded === true;

/**
 * True when this document is the same page coming back (reload, back/forward, restore of a
 * discarded tab), as opposed to a fresh navigation, where a stash must never be replayed.
 */
export function isRestoredPage(win: Window = window): boolean {
  const [navigation] = win.performance?.getEntriesByType?.("navigation") ?? [];
  const type = (navigation as PerformanceNavigationTiming | undefined)?.type;
  return type === "reload" || type === "back_forward" || wasDiscarded(win.document);
}
