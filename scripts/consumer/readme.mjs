// What the READMEs tell a user to write, read from the READMEs themselves, so the suite checks
// the documentation and not a copy of it.
import { readFileSync } from "node:fs";

const read = (file) => readFileSync(file, "utf8");

function section(text, heading) {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The first ```js block of README.md's Install section that imports the npm package. */
export function installSnippet(root) {
  const blocks = [...section(read(`${root}/README.md`), "Install").matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  const snippet = blocks.find((code) => code.includes('from "live-stash"'));
  if (!snippet) throw new Error('README.md\'s Install section has no js block importing "live-stash"');
  return snippet;
}

/** Every `import … from "../../deps/…"` path the READMEs give for app.js. */
export function depsImportPaths(root) {
  const paths = [`${root}/README.md`, `${root}/elixir_stub/README.md`].flatMap((file) =>
    [...read(file).matchAll(/import initLiveStash from "(\.\.\/\.\.\/deps\/[^"]+)"/g)].map((m) => ({
      file,
      path: m[1],
    })),
  );
  if (paths.length === 0) throw new Error("no README imports the bundle from deps/");
  return paths;
}

/** The `{:live_stash, git: …}` tuple of elixir_stub/README.md, with the URL swapped for `url`. */
export function mixDependency(root, url) {
  const match = read(`${root}/elixir_stub/README.md`).match(/\{:live_stash, git: "[^"]+"([^}]*)\}/);
  if (!match) throw new Error("elixir_stub/README.md has no {:live_stash, git: …} dependency");
  return `{:live_stash, git: ${JSON.stringify(url)}${match[1]}}`;
}
