// The demo's look, injected from the bundle: the e2e page template has no stylesheet link.
const CSS = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; padding-bottom: 16rem; color: #222; }
button { font: inherit; margin: 0.15rem; padding: 0.3rem 0.7rem; cursor: pointer; }
.stat-value { font-size: 3rem; font-weight: 700; }
.pair { display: flex; gap: 2rem; }
.pair .child { border: 1px solid #ccc; padding: 0.5rem 1rem; border-radius: 6px; }
.board { display: grid; grid-template-columns: repeat(3, 4rem); gap: 0.25rem; margin: 0.5rem 0; }
.board .cell { width: 4rem; height: 4rem; font-size: 2rem; margin: 0; }
.items { list-style: none; padding: 0; }
.item { margin: 0.3rem 0; } .item-status, .item-mode { color: #555; font-size: 12px; }
.phx-disconnected, .phx-loading { opacity: 0.5; }
.demo-panel { position: fixed; right: 1rem; bottom: 1rem; width: min(44rem, calc(100vw - 2rem)); max-height: 60vh; overflow: auto;
  background: #fafafa; border: 1px solid #bbb; border-radius: 8px; padding: 0.6rem 0.9rem; box-shadow: 0 2px 10px #0002; font-size: 13px; }
.demo-status { font-weight: 600; color: #166534; margin: 0.3rem 0; }
.demo-status.down { color: #b91c1c; }
.demo-note { color: #555; margin: 0.2rem 0; }
.demo-panel input { width: 3.5rem; }
.live-stash-inspector h2 { font-size: 14px; margin: 0.5rem 0 0.2rem; }
.live-stash-inspector table { border-collapse: collapse; width: 100%; }
.live-stash-inspector th, .live-stash-inspector td { text-align: left; padding: 0.15rem 0.4rem; border-bottom: 1px solid #ddd; white-space: nowrap; }
.live-stash-inspector-empty { color: #777; margin: 0.2rem 0; }
`;

export function injectStyles(): void {
  const style = document.createElement("style");
  style.textContent = CSS;
  document.head.append(style);
}
