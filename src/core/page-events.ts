// The page lifecycle moments live-stash acts on, in one place so they are added and removed
// together.
import { PAGE_LOADING_STOP } from "./protocol.js";

export interface PageHandlers {
  /** The tab went to the background: it may never come back, so write now. */
  hidden(): void;
  /** Reload, navigation or close. */
  unload(): void;
  /** Back from the back/forward cache. */
  restored(): void;
  /** A view (re)joined, and on a timer while views live: they are alive. */
  alive(): void;
}

export function watchPage(handlers: PageHandlers, aliveEveryMs: number): () => void {
  const onPageHide = () => handlers.unload();
  const onPageShow = (event: PageTransitionEvent) => event.persisted && handlers.restored();
  const onVisibility = () => document.visibilityState === "hidden" && handlers.hidden();
  const onAlive = () => handlers.alive();
  window.addEventListener("pagehide", onPageHide);
  window.addEventListener("pageshow", onPageShow);
  window.addEventListener(PAGE_LOADING_STOP, onAlive);
  document.addEventListener("visibilitychange", onVisibility);
  const timer = setInterval(onAlive, aliveEveryMs);
  return () => {
    clearInterval(timer);
    window.removeEventListener("pagehide", onPageHide);
    window.removeEventListener("pageshow", onPageShow);
    window.removeEventListener(PAGE_LOADING_STOP, onAlive);
    document.removeEventListener("visibilitychange", onVisibility);
  };
}
