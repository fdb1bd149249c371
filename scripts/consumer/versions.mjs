// The tools the throwaway projects install: the versions this repository already uses, so npm
// finds them in its cache.
import { readFileSync } from "node:fs";

export function versionsFrom(root) {
  const installed = (name) => JSON.parse(readFileSync(`${root}/node_modules/${name}/package.json`, "utf8")).version;
  return (...names) => names.map((name) => `${name}@${installed(name)}`);
}
