// TypeScript users: the README snippet must compile, strict, under `bundler` and `nodenext`, and
// misuse must still be reported. Each misuse line carries `@ts-expect-error`: if the API turned
// into `any` (as extensionless .d.ts imports did under nodenext), the unused directive fails tsc.
const MISUSE = `import initLiveStash, { createLiveStash } from "live-stash";
import { waitForConnected } from "live-stash/testing";

// @ts-expect-error storage is "memory" | "session" | "indexeddb" or a storage object
initLiveStash({}, { storage: "nope" });
// @ts-expect-error ttl is a number of seconds
initLiveStash({}, { ttl: "5" });
const stash = createLiveStash({});
// @ts-expect-error LiveStash has no such method
stash.flushEverything();
// @ts-expect-error waitForConnected takes a Playwright Page
void waitForConnected(42);
export {};
`;

const tsconfig = (moduleKind, resolution, files = ["app.ts", "misuse.ts"], skipLibCheck = false) => ({
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: moduleKind,
    moduleResolution: resolution,
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: [],
    noEmit: true,
    skipLibCheck,
  },
  files,
});

export const typeFiles = (snippet) => ({
  "app.ts": snippet,
  "misuse.ts": MISUSE,
  "tsconfig.bundler.json": tsconfig("ESNext", "Bundler"),
  // phoenix_live_view 1.2's own .d.ts import extensionless paths, which nodenext rejects, so a
  // nodenext app needs skipLibCheck for it; live-stash's declarations are checked without it.
  "tsconfig.nodenext.json": tsconfig("NodeNext", "NodeNext", ["app.ts", "misuse.ts"], true),
  "tsconfig.nodenext-libcheck.json": tsconfig("NodeNext", "NodeNext", ["misuse.ts"]),
  "tsconfig.node16-libcheck.json": tsconfig("Node16", "Node16", ["misuse.ts"]),
});

export const typeChecks = [
  "tsconfig.bundler.json",
  "tsconfig.nodenext.json",
  "tsconfig.nodenext-libcheck.json",
  "tsconfig.node16-libcheck.json",
];
