// The demo's look, injected from the bundle: the e2e page template has no stylesheet link.
const CSS = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 1rem; color: #222; }
button { font: inherit; margin: 0.15rem; padding: 0.3rem 0.7rem; cursor: pointer; }
.stat-value { font-size: 3rem; font-weight: 700; }
.pair { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
.pair .child { border: 1px solid #ccc; padding: 0.5rem 1rem; border-radius: 6px; }
.board { display: grid; grid-template-columns: repeat(3, 4rem); gap: 0.25rem; margin: 0.5rem 0; }
.board .cell { width: 4rem; height: 4rem; font-size: 2rem; margin: 0; }
.items { list-style: none; padding: 0; }
.item { margin: 0.3rem 0; } .item-status, .item-mode { color: #555; font-size: 12px; }
.phx-disconnected, .phx-loading { opacity: 0.5; }
/* In the page's flow, after the LiveViews, so it never covers their controls; beside them
   (with room kept free) only where the screen is wide enough. */
.demo-panel { margin-top: 1.5rem; max-width: 44rem; background: #fafafa; border: 1px solid #bbb; border-radius: 8px;
  padding: 0.6rem 0.9rem; font-size: 13px; overflow-wrap: anywhere; }
@media (min-width: 1100px) {
  body { margin: 2rem 32rem 2rem 2rem; }
  .demo-panel { position: fixed; top: 1rem; right: 1rem; width: 28rem; max-height: calc(100vh - 2rem); overflow: auto;
    margin: 0; box-sizing: border-box; box-shadow: 0 2px 10px #0002; }
}
.demo-status { font-weight: 600; color: #166534; margin: 0.3rem 0; }
.demo-status.down { color: #b91c1c; }
.demo-note { color: #555; margin: 0.2rem 0; }
.demo-panel input { width: 3.5rem; }
.live-stash-inspector h2 { font-size: 14px; margin: 0.5rem 0 0.2rem; }
.live-stash-inspector h3 { font-size: 13px; margin: 0.5rem 0 0.1rem; color: #444; }
.live-stash-inspector ul { list-style: none; margin: 0; padding: 0; }
.live-stash-inspector li { border-top: 1px solid #ddd; padding: 0.25rem 0; }
.live-stash-inspector li p { margin: 0; }
.live-stash-inspector [data-fact="view"] { font-weight: 600; }
.live-stash-inspector-apart li { color: #666; }
.live-stash-inspector-empty { color: #777; margin: 0.2rem 0; }
`;

export function injectStyles(): void {
  const style = document.createElement("style");
  style.textContent = CSS;
  document.head.append(style);
}
