// Fails when a relative link in the repository's markdown does not resolve: a file or folder that
// is not in the repository (tracked, or new and not ignored: a link to build output would break on
// GitHub), or a `#anchor` that no heading of the target file makes. Links with a scheme (https:,
// mailto:) are not fetched. `node scripts/check-links.mjs`; a step of `npm test`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
  cwd: ROOT,
  encoding: "utf8",
})
  .split("\0")
  .filter((path) => path && !path.split("/").includes("node_modules"));
const known = new Set(files);
const folders = new Set(
  files.flatMap((path) =>
    path
      .split("/")
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
  ),
);

const blank = (match) => match.replace(/[^\n]/g, " ");
/** The text with fenced code blocks blanked out, newlines kept so offsets keep their line. */
const withoutFences = (text) =>
  text.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm, blank);
/** ...and inline code too: what is left can hold links. */
const prose = (text) => withoutFences(text).replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, blank);

/** GitHub's heading ids: link markup dropped, lower case, punctuation removed, spaces to hyphens, repeats numbered. */
function anchorsOf(path) {
  const text = withoutFences(readFileSync(join(ROOT, path), "utf8"));
  const ids = new Set([...text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)].map((m) => m[1]));
  const seen = new Map();
  for (const [, heading] of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm)) {
    const words = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "");
    const base = words
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

const anchorCache = new Map();
const anchors = (path) => anchorCache.get(path) ?? anchorCache.set(path, anchorsOf(path)).get(path);

/** What is wrong with `target` linked from `from`, or undefined when it resolves. */
function problem(from, target) {
  const [rawPath, anchor] = target.split("#", 2);
  const path = decodeURIComponent(rawPath ?? "");
  const resolved =
    path === "" ? from : normalize(path.startsWith("/") ? path.slice(1) : join(dirname(from), path)).replace(/\/$/, "");
  if (resolved.startsWith("..")) return "points outside the repository";
  if (!known.has(resolved) && !folders.has(resolved) && resolved !== ".") return "no such file in the repository";
  if (anchor && resolved.endsWith(".md") && !anchors(resolved).has(decodeURIComponent(anchor).toLowerCase()))
    return `no heading makes #${anchor}`;
  return undefined;
}

const LINK =
  /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)|^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm;
const broken = [];
for (const file of files.filter((path) => path.endsWith(".md"))) {
  const text = prose(readFileSync(join(ROOT, file), "utf8"));
  for (const match of text.matchAll(LINK)) {
    const target = (match[1] ?? match[2]).replace(/^<|>$/g, "");
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(target)) continue;
    const why = problem(file, target);
    if (why) broken.push(`${file}:${text.slice(0, match.index).split("\n").length}: ${target}: ${why}`);
  }
}

const checked = files.filter((path) => path.endsWith(".md")).length;
if (broken.length > 0) {
  console.error(`check-links: ${broken.length} broken link(s) in ${checked} markdown files:\n${broken.join("\n")}`);
  process.exit(1);
}
console.log(`check-links: every relative link in ${checked} markdown files resolves`);
